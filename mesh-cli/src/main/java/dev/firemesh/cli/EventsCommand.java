package dev.firemesh.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.codec.Durations;
import dev.firemesh.chassis.events.EventMetadata;
import dev.firemesh.chassis.events.StoredEvent;
import dev.firemesh.chassis.events.StoredEvents;
import dev.firemesh.chassis.events.subscription.DeadLetter;
import dev.firemesh.chassis.events.subscription.OperatorRequests;
import dev.firemesh.chassis.events.subscription.OperatorRequests.Completed;
import dev.firemesh.chassis.events.subscription.PartitionStatus;
import dev.firemesh.chassis.events.subscription.RequestPendingException;
import dev.firemesh.chassis.events.subscription.SubscriptionStatus;
import dev.firemesh.chassis.events.subscription.SubscriptionStore;
import dev.firemesh.control.admin.AdminJson;
import dev.firemesh.store.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "events",
    description = {
      "A chassis service's event store: stream histories, subscriptions, dead letters, rebuilds.",
      "Read from the service's own PostgreSQL: --store URL, or the one `firemesh demo` lists for"
          + " the service in <data-dir>/service-stores.json. Payloads are shown as stored (JSON),"
          + " without the service's code."
    },
    subcommands = {
      EventsCommand.Stream.class,
      EventsCommand.Tail.class,
      EventsCommand.Subscriptions.class,
      EventsCommand.DeadLetters.class,
      EventsCommand.Retry.class,
      EventsCommand.Drop.class,
      EventsCommand.Rebuild.class
    },
    footer = {
      "%nExamples:",
      "  firemesh events stream order-42 --service orders",
      "  firemesh events tail --service orders --limit 5",
      "  firemesh events subscriptions --service risk",
      "  firemesh events dead-letters --service risk",
      "  firemesh events rebuild --service risk --subscription risk-exposure"
    })
final class EventsCommand implements Runnable {
  private static final ObjectMapper JSON = AdminJson.mapper();
  private static final int PAYLOAD_CHARS = 100;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "stream",
      description = {
        "The events of one stream, in order, with their metadata: version, global position, type"
            + " and schema version, when recorded (UTC, microseconds), event, command, causation"
            + " and correlation ids, actor, trace id, and the payload as stored."
      },
      footer = {
        "%nExamples:",
        "  firemesh events stream order-42 --service orders",
        "  firemesh events stream order-42 --service orders -o json",
        "  firemesh events stream order-42 --service orders --store"
            + " 'postgresql://postgres@127.0.0.1:5432/orders?passwordFile=/secrets/pg'"
      })
  static final class Stream extends StoreCommand {
    @Parameters(index = "0", paramLabel = "STREAM", description = "The stream id, e.g. order-42.")
    String streamId;

    @Override
    int run(Database database) {
      List<StoredEvent> events = StoredEvents.stream(database, streamId);
      if (events.isEmpty()) {
        return fail(AdminCommand.REFUSED, "no events in stream " + streamId);
      }
      ObjectNode answer = NODES.objectNode();
      answer.put("stream", streamId);
      answer.put("version", events.getLast().streamVersion());
      ArrayNode items = answer.putArray("events");
      events.forEach(e -> items.add(json(e)));
      if (printedAsData(answer)) {
        return 0;
      }
      out.line(
          streamId
              + ": "
              + events.size()
              + (events.size() == 1 ? " event" : " events")
              + ", version "
              + events.getLast().streamVersion());
      for (StoredEvent e : events) {
        EventMetadata m = e.metadata();
        out.line("");
        out.line(
            "#"
                + e.streamVersion()
                + "  "
                + time(m.recordedAt())
                + "  "
                + e.type()
                + " (schema v"
                + e.schemaVersion()
                + ")  "
                + (e.position() > 0 ? "position " + e.position() : "not sequenced yet"));
        out.line("    event        " + m.eventId());
        out.line("    command      " + m.commandId().orElse("-"));
        out.line("    causation    " + m.causationId().orElse("-"));
        out.line("    correlation  " + m.correlationId());
        out.line("    actor        " + m.actor());
        out.line("    trace        " + (m.traceId().isEmpty() ? "-" : m.traceId()));
        out.line("    payload      " + e.payload());
      }
      return 0;
    }
  }

  @Command(
      name = "tail",
      description = {
        "Events in the store's global order: the last --limit, or those after position --after.",
        "Payloads longer than "
            + PAYLOAD_CHARS
            + " characters are cut in the table; -o json has"
            + " them whole, with every event's metadata."
      },
      footer = {
        "%nExamples:",
        "  firemesh events tail --service orders",
        "  firemesh events tail --service orders --after 120 --limit 50 -o json"
      })
  static final class Tail extends StoreCommand {
    @Option(
        names = "--after",
        paramLabel = "POSITION",
        description = "Events after this global position (default: the last --limit events).")
    Long after;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "20",
        description = "At most N events, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(Database database) {
      if (limit < 1 || limit > 1000) {
        throw new BadInputException("--limit: expected 1 to 1000, got " + limit);
      }
      if (after != null && after < 0) {
        throw new BadInputException("--after: expected a position, 0 or more, got " + after);
      }
      long head = StoredEvents.head(database);
      List<StoredEvent> events =
          after == null
              ? StoredEvents.last(database, limit)
              : StoredEvents.after(database, after, limit);
      ObjectNode answer = NODES.objectNode();
      answer.put("head", head);
      ArrayNode items = answer.putArray("events");
      events.forEach(e -> items.add(json(e)));
      if (printedAsData(answer)) {
        return 0;
      }
      if (events.isEmpty()) {
        out.line(
            head == 0
                ? "no events in the store of " + service
                : "no events after position " + after + "; the last is " + head);
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (StoredEvent e : events) {
        rows.add(
            List.of(
                Long.toString(e.position()),
                time(e.metadata().recordedAt()),
                e.streamId(),
                Long.toString(e.streamVersion()),
                e.type(),
                e.metadata().actor(),
                cut(e.payload())));
      }
      out.table(
          List.of("POSITION", "RECORDED AT (UTC)", "STREAM", "VERSION", "TYPE", "ACTOR", "PAYLOAD"),
          rows);
      return 0;
    }
  }

  @Command(
      name = "subscriptions",
      description = {
        "The subscriptions in the store: position, lag and dead letters of each, then each"
            + " partition's owner (an instance id), fencing token, position, lag and lease.",
        "An owner whose lease has run out is shown until another instance claims the partition."
      },
      footer = {
        "%nExamples:",
        "  firemesh events subscriptions --service risk",
        "  firemesh events subscriptions --service risk --subscription risk-exposure -o json"
      })
  static final class Subscriptions extends StoreCommand {
    @Option(names = "--subscription", paramLabel = "NAME", description = "Only this one.")
    String subscription;

    @Override
    int run(Database database) {
      List<SubscriptionStatus> all = SubscriptionStore.status(database);
      List<SubscriptionStatus> shown =
          subscription == null
              ? all
              : all.stream().filter(s -> s.name().equals(subscription)).toList();
      if (subscription != null && shown.isEmpty()) {
        return fail(AdminCommand.REFUSED, unknownSubscription(service, subscription, all));
      }
      ObjectNode answer = NODES.objectNode();
      answer.put("head", StoredEvents.head(database));
      ArrayNode items = answer.putArray("subscriptions");
      for (SubscriptionStatus s : shown) {
        ObjectNode item = items.addObject();
        item.put("name", s.name());
        item.put("position", s.position());
        item.put("lag", s.lag());
        item.put("deadLetters", s.deadLetters());
        ArrayNode partitions = item.putArray("partitions");
        for (PartitionStatus p : s.partitions()) {
          ObjectNode partition = partitions.addObject();
          partition.put("partition", p.partition());
          partition.put("owner", p.owner().orElse(null));
          partition.put("token", p.token());
          partition.put("position", p.position());
          partition.put("lag", p.lag());
          partition.put("leaseUntil", p.leaseUntil().map(StoreCommand::time).orElse(null));
        }
      }
      if (printedAsData(answer)) {
        return 0;
      }
      if (shown.isEmpty()) {
        out.line("no subscriptions in the store of " + service);
        return 0;
      }
      List<List<String>> summary = new ArrayList<>();
      List<List<String>> partitions = new ArrayList<>();
      for (SubscriptionStatus s : shown) {
        summary.add(
            List.of(
                s.name(),
                Long.toString(s.position()),
                Long.toString(s.lag()),
                Long.toString(s.deadLetters()),
                Integer.toString(s.partitions().size())));
        for (PartitionStatus p : s.partitions()) {
          partitions.add(
              List.of(
                  s.name(),
                  Integer.toString(p.partition()),
                  p.owner().orElse("-"),
                  Long.toString(p.token()),
                  Long.toString(p.position()),
                  Long.toString(p.lag()),
                  time(p.leaseUntil())));
        }
      }
      out.table(List.of("SUBSCRIPTION", "POSITION", "LAG", "DEAD LETTERS", "PARTITIONS"), summary);
      out.line("");
      out.table(
          List.of(
              "SUBSCRIPTION",
              "PARTITION",
              "OWNER",
              "TOKEN",
              "POSITION",
              "LAG",
              "LEASE UNTIL (UTC)"),
          partitions);
      return 0;
    }
  }

  @Command(
      name = "dead-letters",
      description = {
        "Events a subscription's handler kept failing on, parked so the rest went on: event id,"
            + " position, stream, type, attempts, when parked and the last error.",
        "Retry one with `firemesh events retry`, forget it with `firemesh events drop`."
      },
      footer = {
        "%nExamples:",
        "  firemesh events dead-letters --service risk",
        "  firemesh events dead-letters --service risk --subscription risk-exposure -o json"
      })
  static final class DeadLetters extends StoreCommand {
    @Option(
        names = "--subscription",
        paramLabel = "NAME",
        description = "Only this one's (default: every subscription's).")
    String subscription;

    @Override
    int run(Database database) {
      List<SubscriptionStatus> all = SubscriptionStore.status(database);
      if (subscription != null && all.stream().noneMatch(s -> s.name().equals(subscription))) {
        return fail(AdminCommand.REFUSED, unknownSubscription(service, subscription, all));
      }
      List<String> names =
          subscription != null
              ? List.of(subscription)
              : all.stream().map(SubscriptionStatus::name).toList();
      List<DeadLetter> letters = new ArrayList<>();
      names.forEach(n -> letters.addAll(SubscriptionStore.deadLetters(database, n)));
      ObjectNode answer = NODES.objectNode();
      ArrayNode items = answer.putArray("deadLetters");
      for (DeadLetter d : letters) {
        items
            .addObject()
            .put("subscription", d.subscription())
            .put("eventId", d.eventId().toString())
            .put("position", d.position())
            .put("streamId", d.streamId())
            .put("type", d.eventType())
            .put("attempts", d.attempts())
            .put("parkedAt", time(d.parkedAt()))
            .put("lastError", d.lastError());
      }
      if (printedAsData(answer)) {
        return 0;
      }
      if (letters.isEmpty()) {
        out.line(
            "no dead letters"
                + (subscription == null ? " in the store of " + service : " of " + subscription));
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (DeadLetter d : letters) {
        rows.add(
            List.of(
                d.subscription(),
                d.eventId().toString(),
                Long.toString(d.position()),
                d.streamId(),
                d.eventType(),
                Integer.toString(d.attempts()),
                time(d.parkedAt()),
                cut(d.lastError().replace('\n', ' '))));
      }
      out.table(
          List.of(
              "SUBSCRIPTION",
              "EVENT",
              "POSITION",
              "STREAM",
              "TYPE",
              "ATTEMPTS",
              "PARKED AT (UTC)",
              "LAST ERROR"),
          rows);
      return 0;
    }
  }

  /** A command that asks the service's instances to do something and waits for the outcome. */
  abstract static class Request extends StoreCommand {
    @Option(
        names = "--subscription",
        required = true,
        paramLabel = "NAME",
        description = "The subscription, by the name the service gives it.")
    String subscription;

    @Option(
        names = "--wait",
        paramLabel = "DURATION",
        defaultValue = "30s",
        description =
            "How long to wait for a running instance of the service to do it, e.g. 10s, 2m"
                + " (default: ${DEFAULT-VALUE}).")
    String waitFor;

    /**
     * Submits the request ({@code submit} answers its id), waits for an instance to carry it out,
     * and prints the outcome. Withdraws it if none took it in time, so none does it later.
     */
    int request(Database database, String what, LongSupplier submit) {
      Duration wait =
          Durations.parse(waitFor)
              .orElseThrow(
                  () ->
                      new BadInputException(
                          "--wait: expected a duration such as 500ms, 10s, 5m or 1h, got \""
                              + waitFor
                              + "\""));
      long id = submit.getAsLong();
      Completed done;
      try {
        done = OperatorRequests.await(database, id, wait);
      } catch (RequestPendingException e) {
        if (OperatorRequests.withdraw(
            database,
            id,
            "no instance took it within " + Durations.format(wait) + "; withdrawn by the CLI")) {
          return fail(
              AdminCommand.UNREACHABLE,
              "no running instance of "
                  + service
                  + " runs subscription "
                  + subscription
                  + ": nobody took the "
                  + what
                  + " within "
                  + Durations.format(wait)
                  + " (request "
                  + id
                  + ", withdrawn); start the service, or raise --wait");
        }
        try {
          done = OperatorRequests.await(database, id, wait);
        } catch (RequestPendingException again) {
          return fail(
              AdminCommand.UNREACHABLE,
              "an instance of "
                  + service
                  + " took the "
                  + what
                  + " (request "
                  + id
                  + ") and has not finished it after "
                  + Durations.format(wait.multipliedBy(2)));
        }
      }
      ObjectNode answer = NODES.objectNode();
      answer.put("request", done.id());
      answer.put("kind", done.kind().label());
      answer.put("subscription", done.subscription());
      answer.put("eventId", done.eventId().map(UUID::toString).orElse(null));
      answer.put("outcome", done.outcome().label());
      answer.put("instance", done.by().orElse(null));
      answer.put("error", done.error().orElse(null));
      if (!printedAsData(answer)) {
        if (done.outcome().succeeded()) {
          out.line(done(done));
        } else {
          err.println(
              "error: "
                  + what
                  + " "
                  + done.outcome().label()
                  + done.by().map(by -> " (instance " + by + ")").orElse("")
                  + done.error().map(e -> ": " + e).orElse(""));
          err.flush();
        }
      }
      return done.outcome().succeeded() ? 0 : AdminCommand.REFUSED;
    }

    /** The line printed when it was done. */
    abstract String done(Completed completed);

    /** Exit 1 with a message unless the store has the subscription. */
    Optional<Integer> unknown(Database database) {
      List<SubscriptionStatus> all = SubscriptionStore.status(database);
      return all.stream().anyMatch(s -> s.name().equals(subscription))
          ? Optional.empty()
          : Optional.of(
              fail(AdminCommand.REFUSED, unknownSubscription(service, subscription, all)));
    }
  }

  @Command(
      name = "retry",
      description = {
        "Runs a dead letter's event through its subscription's handler again, now, in a running"
            + " instance of the service (the CLI has not the service's code): the dead letter is"
            + " gone if the handler takes it, and stays with one attempt more if it fails again.",
        "Exit 1 if it failed again or there is no such dead letter, 3 if no running instance runs"
            + " the subscription."
      },
      footer = {
        "%nExamples:",
        "  firemesh events retry --service risk --subscription risk-exposure"
            + " 3f2a5c1e-8d4b-4f7a-9c11-2b6d0e8f4a10"
      })
  static final class Retry extends Request {
    @Parameters(index = "0", paramLabel = "EVENT_ID", description = "The dead letter's event id.")
    String eventId;

    @Override
    int run(Database database) {
      UUID event = eventId(eventId);
      Optional<Integer> unknown = unknown(database);
      if (unknown.isPresent()) {
        return unknown.get();
      }
      if (SubscriptionStore.deadLetters(database, subscription).stream()
          .noneMatch(d -> d.eventId().equals(event))) {
        return fail(AdminCommand.REFUSED, noDeadLetter(subscription, event));
      }
      return request(
          database,
          "retry",
          () -> OperatorRequests.requestRetry(database, subscription, event, requester()));
    }

    @Override
    String done(Completed completed) {
      return "dead letter "
          + completed.eventId().orElseThrow()
          + " of "
          + completed.subscription()
          + " handled by instance "
          + completed.by().orElse("?");
    }
  }

  @Command(
      name = "drop",
      description = {
        "Forgets a dead letter without handling it (the event stays in its stream; only this"
            + " subscription skips it for good). Done in the store directly.",
        "Exit 1 if there is no such dead letter."
      },
      footer = {
        "%nExamples:",
        "  firemesh events drop --service risk --subscription risk-exposure"
            + " 3f2a5c1e-8d4b-4f7a-9c11-2b6d0e8f4a10"
      })
  static final class Drop extends StoreCommand {
    @Option(names = "--subscription", required = true, paramLabel = "NAME")
    String subscription;

    @Parameters(index = "0", paramLabel = "EVENT_ID", description = "The dead letter's event id.")
    String eventId;

    @Override
    int run(Database database) {
      UUID event = eventId(eventId);
      if (!SubscriptionStore.drop(database, subscription, event)) {
        return fail(AdminCommand.REFUSED, noDeadLetter(subscription, event));
      }
      ObjectNode answer = NODES.objectNode();
      answer.put("subscription", subscription).put("eventId", event.toString());
      answer.put("dropped", true);
      if (!printedAsData(answer)) {
        out.line("dropped dead letter " + event + " of " + subscription);
      }
      return 0;
    }
  }

  @Command(
      name = "rebuild",
      description = {
        "Rebuilds a projection from the start, in a running instance of the service (it has the"
            + " projection's code): its read model is emptied, its dead letters cleared, every"
            + " partition fenced and set back to position 0; the instances then replay every"
            + " event. Follow the replay with `firemesh events subscriptions`.",
        "Exit 1 if the service refused (a process manager is never replayed), 3 if no running"
            + " instance runs the subscription within --wait (the request is then withdrawn)."
      },
      footer = {
        "%nExamples:",
        "  firemesh events rebuild --service risk --subscription risk-exposure",
        "  firemesh events rebuild --service risk --subscription risk-exposure --wait 2m"
      })
  static final class Rebuild extends Request {
    @Override
    int run(Database database) {
      Optional<Integer> unknown = unknown(database);
      if (unknown.isPresent()) {
        return unknown.get();
      }
      return request(
          database,
          "rebuild",
          () -> OperatorRequests.requestRebuild(database, subscription, requester()));
    }

    @Override
    String done(Completed completed) {
      return "rebuilt "
          + completed.subscription()
          + " (instance "
          + completed.by().orElse("?")
          + "): replaying from position 0";
    }
  }

  static ObjectNode json(StoredEvent e) {
    EventMetadata m = e.metadata();
    ObjectNode node = StoreCommand.NODES.objectNode();
    node.put("streamId", e.streamId());
    node.put("version", e.streamVersion());
    if (e.position() > 0) {
      node.put("position", e.position());
    } else {
      node.putNull("position");
    }
    node.put("type", e.type());
    node.put("schemaVersion", e.schemaVersion());
    node.put("recordedAt", StoreCommand.time(m.recordedAt()));
    node.put("eventId", m.eventId().toString());
    node.put("commandId", m.commandId().orElse(null));
    node.put("causationId", m.causationId().orElse(null));
    node.put("correlationId", m.correlationId());
    node.put("actor", m.actor());
    node.put("traceId", m.traceId().isEmpty() ? null : m.traceId());
    node.set("payload", payload(e));
    return node;
  }

  private static JsonNode payload(StoredEvent e) {
    try {
      return JSON.readTree(e.payload());
    } catch (JsonProcessingException ex) {
      // jsonb always holds valid JSON; keep the text rather than fail the listing
      return StoreCommand.NODES.textNode(e.payload());
    }
  }

  static UUID eventId(String text) {
    try {
      UUID id = UUID.fromString(text);
      if (id.toString().equalsIgnoreCase(text)) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new BadInputException(
        "not an event id: '"
            + text
            + "'; expected a UUID such as 3f2a5c1e-8d4b-4f7a-9c11-2b6d0e8f4a10");
  }

  static String unknownSubscription(
      String service, String subscription, List<SubscriptionStatus> all) {
    return "the store of "
        + service
        + " has no subscription "
        + subscription
        + (all.isEmpty()
            ? " (it has none)"
            : "; it has " + String.join(", ", all.stream().map(SubscriptionStatus::name).toList()));
  }

  static String noDeadLetter(String subscription, UUID event) {
    return "subscription "
        + subscription
        + " has no dead letter "
        + event
        + " (see `firemesh events dead-letters`)";
  }

  private static String cut(String text) {
    return text.length() <= PAYLOAD_CHARS ? text : text.substring(0, PAYLOAD_CHARS - 3) + "...";
  }
}
