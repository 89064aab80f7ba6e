package dev.firemesh.chassis.refdata.owner;

import static dev.firemesh.chassis.refdata.owner.ReferenceDataOwner.JSON;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.http.HttpError;
import dev.firemesh.chassis.http.HttpRequest;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.chassis.refdata.ReferenceFeed;
import dev.firemesh.chassis.refdata.ReferenceSet;
import dev.firemesh.chassis.refdata.ReferenceView;
import dev.firemesh.chassis.refdata.owner.ChangeLog.LoggedChange;
import dev.firemesh.chassis.refdata.owner.ChangeLog.LoggedVersion;
import dev.firemesh.chassis.refdata.owner.ChangeLog.Page;
import dev.firemesh.telemetry.trace.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The owner's three endpoints ({@link ReferenceFeed}): JSON in, JSON out. */
final class OwnerEndpoints {
  /** Set by the caller's sidecar from its verified identity. */
  static final String CALLER = "x-firemesh-caller";

  private final ReferenceDataOwner owner;

  OwnerEndpoints(ReferenceDataOwner owner) {
    this.owner = owner;
  }

  HttpRoutes routes() {
    return HttpRoutes.builder()
        .get(ReferenceFeed.SNAPSHOT, this::snapshot)
        .get(ReferenceFeed.CHANGES, this::changes)
        .post(ReferenceFeed.COMMANDS, this::commands)
        .build();
  }

  /** {@code {"version", "committedAt", "now", "sets": {"venues": [record, ...], ...}}} */
  private HttpResponse snapshot(HttpRequest request) {
    Set<String> wanted = sets(request);
    ReferenceView view = owner.view();
    ObjectNode root = JSON.createObjectNode();
    root.put("version", view.version());
    root.put("committedAt", view.committedAt().toString());
    root.put("now", Instant.now().toString());
    ObjectNode sets = root.putObject("sets");
    for (ReferenceSet<?> set : view.sets()) {
      if (wanted.isEmpty() || wanted.contains(set.name())) {
        write(sets.putArray(set.name()), view, set);
      }
    }
    return json(200, root);
  }

  private static <V> void write(ArrayNode into, ReferenceView view, ReferenceSet<V> set) {
    view.of(set).all().forEach(record -> into.add(set.toJson(record)));
  }

  /**
   * {@code {"head", "through", "committedAt", "now", "pendingSince"?, "versions": [{"version",
   * "committedAt", "commandId", "actor", "traceId", "changes": [{"set", "key", "op",
   * "record"?}]}]}}
   */
  private HttpResponse changes(HttpRequest request) throws InterruptedException {
    long after = number(request, "after", -1);
    if (after < 0) {
      throw new HttpError(400, "after must be a version, 0 or more");
    }
    Duration wait =
        Duration.ofMillis(
            Math.min(number(request, "waitMs", 0), ReferenceFeed.MAX_WAIT.toMillis()));
    Set<String> wanted = sets(request);
    long head = owner.view().version();
    if (after > head) {
      return gone(
          "version " + after + " is ahead of the owner's head " + head + "; reload a snapshot",
          head);
    }
    if (after == head && !wait.isZero()) {
      owner.awaitAfter(after, wait);
    }
    ReferenceView at = owner.view();
    long through = at.version();
    Optional<Page> page = owner.page(after, through, wanted);
    if (page.isEmpty()) {
      return gone(
          "the log no longer holds the versions after "
              + after
              + " (pruned through "
              + owner.prunedThrough()
              + "); reload a snapshot",
          through);
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("head", through);
    root.put("through", page.get().through());
    root.put(
        "committedAt",
        (page.get().through() == through
                ? at.committedAt()
                : page.get().versions().getLast().committedAt())
            .toString());
    root.put("now", Instant.now().toString());
    page.get().pendingSince().ifPresent(since -> root.put("pendingSince", since.toString()));
    ArrayNode versions = root.putArray("versions");
    for (LoggedVersion version : page.get().versions()) {
      ObjectNode v = versions.addObject();
      v.put("version", version.version());
      v.put("committedAt", version.committedAt().toString());
      v.put("commandId", version.commandId());
      v.put("actor", version.actor());
      v.put("traceId", version.traceId());
      ArrayNode changes = v.putArray("changes");
      for (LoggedChange change : version.changes()) {
        ObjectNode c = changes.addObject();
        c.put("set", change.set());
        c.put("key", change.key());
        c.put("op", change.op());
        if (change.payload() != null) {
          c.set("record", tree(change.payload()));
        }
      }
    }
    return json(200, root);
  }

  /**
   * In: {@code {"id"?, "edits": [{"op": "upsert", "set", "record"} | {"op": "delete", "set",
   * "key"}]}}. Out: {@code {"version", "committedAt", "repeated"}}; 422 {@code {"error", "edit",
   * "field"}} when refused.
   */
  private HttpResponse commands(HttpRequest request) {
    JsonNode body = tree(request.bodyText());
    JsonNode edits = body.path("edits");
    if (!edits.isArray() || edits.isEmpty()) {
      throw new HttpError(
          400, "a command is {\"id\": ..., \"edits\": [...]} with one edit or more");
    }
    List<Edit> parsed = new ArrayList<>();
    for (int i = 0; i < edits.size(); i++) {
      JsonNode edit = edits.get(i);
      String set = edit.path("set").asText("");
      parsed.add(
          switch (edit.path("op").asText("")) {
            case "upsert" -> {
              if (!edit.path("record").isObject()) {
                throw new HttpError(400, "edit " + i + ": an upsert needs a \"record\" object");
              }
              yield new Edit.Upsert(set, edit.get("record"));
            }
            case "delete" -> new Edit.Delete(set, edit.path("key").asText(""));
            default ->
                throw new HttpError(400, "edit " + i + ": \"op\" must be \"upsert\" or \"delete\"");
          });
    }
    String id = body.path("id").asText("");
    Command command;
    try {
      command =
          new Command(
              id.isBlank() ? UUID.randomUUID().toString() : id,
              request.header(CALLER).orElse("anonymous"),
              TraceContext.parse(
                      request.header("traceparent").orElse(null),
                      request.header("tracestate").orElse(null))
                  .map(context -> context.traceId().hex())
                  .orElse(""),
              parsed);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
    try {
      Applied applied = owner.apply(command);
      ObjectNode root = JSON.createObjectNode();
      root.put("version", applied.version());
      root.put("committedAt", applied.committedAt().toString());
      root.put("repeated", applied.repeated());
      return json(200, root);
    } catch (RefusedCommandException e) {
      ObjectNode root = JSON.createObjectNode();
      root.put("error", e.getMessage());
      root.put("edit", e.edit());
      root.put("field", e.field());
      return json(422, root);
    }
  }

  private Set<String> sets(HttpRequest request) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String name : request.queryParam("sets").orElse("").split(",")) {
      if (!name.isBlank()) {
        if (!owner.setsByName().containsKey(name.strip())) {
          throw new HttpError(
              404,
              "this owner owns " + owner.setsByName().keySet() + ", not '" + name.strip() + "'");
        }
        wanted.add(name.strip());
      }
    }
    return wanted;
  }

  private static long number(HttpRequest request, String name, long otherwise) {
    Optional<String> value = request.queryParam(name);
    try {
      return value.isEmpty() ? otherwise : Long.parseLong(value.get());
    } catch (NumberFormatException e) {
      throw new HttpError(400, name + " must be a whole number, not '" + value.get() + "'");
    }
  }

  private static HttpResponse gone(String message, long head) {
    ObjectNode root = JSON.createObjectNode();
    root.put("error", message);
    root.put("head", head);
    return json(410, root);
  }

  private static JsonNode tree(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new HttpError(400, "not JSON: " + e.getOriginalMessage());
    }
  }

  private static HttpResponse json(int status, JsonNode root) {
    try {
      return HttpResponse.json(status, JSON.writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JsonNode always serializes", e);
    }
  }
}
