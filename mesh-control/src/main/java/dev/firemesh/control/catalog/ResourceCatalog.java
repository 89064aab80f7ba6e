package dev.firemesh.control.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.codec.ResourceCodec;
import dev.firemesh.api.config.ConfigSchema;
import dev.firemesh.api.resource.Config;
import dev.firemesh.api.resource.Kind;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.ResourceKey;
import dev.firemesh.api.validation.InvalidResourceException;
import dev.firemesh.api.validation.ParsedResource;
import dev.firemesh.api.validation.Problem;
import dev.firemesh.api.validation.ReferenceCheck;
import dev.firemesh.store.resource.ChangeSet;
import dev.firemesh.store.resource.ConcurrentChangeException;
import dev.firemesh.store.resource.ResourceStore;
import dev.firemesh.store.resource.Revision;
import dev.firemesh.store.resource.StoredResource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The apply pipeline and the read side of resources: parse every file, check references against the
 * batch and what is stored, compute what changes, and write it as one revision. A batch with any
 * problem is refused whole, with every problem named.
 */
public final class ResourceCatalog {
  private final ResourceStore store;
  // Serializes this replica's applies, so its own writers do not race each other.
  private final ReentrantLock applyLock = new ReentrantLock();
  // Across replicas, each write names the head it was validated against (optimistic concurrency).
  private static final int MAX_ATTEMPTS = 5;
  // Decoded resources by their canonical JSON, so each push does not re-parse every document.
  private final Map<String, Resource> decoded = new ConcurrentHashMap<>();

  // The config schema each service published, by service: Config values are checked against it.
  private final Function<String, Optional<ConfigSchema>> configSchemas;

  /** A catalog that checks no Config against a schema (none are published). */
  public ResourceCatalog(ResourceStore store) {
    this(store, service -> Optional.empty());
  }

  /**
   * @param configSchemas the published config schema of a service, if it has one; each Config in a
   *     batch is checked against its service's
   */
  public ResourceCatalog(
      ResourceStore store, Function<String, Optional<ConfigSchema>> configSchemas) {
    this.store = store;
    this.configSchemas = configSchemas;
  }

  public ApplyOutcome apply(List<SourceFile> files, String actor, String message, boolean dryRun) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("nothing to apply: no files given");
    }
    List<ParsedResource> parsed = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (SourceFile file : files) {
      try {
        parsed.addAll(ResourceCodec.parse(file.name(), file.content()));
      } catch (InvalidResourceException e) {
        problems.addAll(e.problems());
      }
    }
    return write(current -> parsed, problems, actor, message, dryRun);
  }

  /**
   * Changes one stored resource through the apply pipeline: {@code edit} gets its canonical tree as
   * stored at the head and returns the new one, which is validated, reference-checked and written
   * as {@link #apply} would. If another replica writes meanwhile, the edit is made again on the new
   * state, so it never overwrites a change it did not see.
   *
   * @param source names the edit in problems, as a file name would
   * @throws NoSuchResourceException if the resource does not exist
   */
  public ApplyOutcome revise(
      ResourceKey key,
      String source,
      UnaryOperator<ObjectNode> edit,
      String actor,
      String message) {
    return write(
        current -> {
          StoredResource stored = current.get(key);
          if (stored == null) {
            throw new NoSuchResourceException(key);
          }
          ObjectNode tree = ResourceCodec.toTree(decoded(stored.body()));
          return ResourceCodec.parse(source, edit.apply(tree).toString());
        },
        List.of(),
        actor,
        message,
        false);
  }

  private ApplyOutcome write(
      Function<Map<ResourceKey, StoredResource>, List<ParsedResource>> batch,
      List<Problem> problems,
      String actor,
      String message,
      boolean dryRun) {
    applyLock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        long head = store.head();
        Map<ResourceKey, StoredResource> current = stateAt(head);
        List<ParsedResource> parsed = batch.apply(current);
        List<Problem> all = new ArrayList<>(problems);
        all.addAll(ReferenceCheck.check(parsed, decode(current.values()), Set.of()));
        List<String> warnings = new ArrayList<>();
        all.addAll(checkConfigs(parsed, warnings));
        if (!all.isEmpty()) {
          throw new InvalidResourceException(all);
        }
        List<ResourceChange> changes = new ArrayList<>();
        ChangeSet.Builder edits = ChangeSet.builder();
        for (ParsedResource p : parsed) {
          ResourceKey key = p.resource().key();
          String json = ResourceCodec.toJson(p.resource());
          Optional<String> before = Optional.ofNullable(current.get(key)).map(StoredResource::body);
          if (before.isPresent() && before.get().equals(json)) {
            continue;
          }
          changes.add(
              new ResourceChange(
                  key,
                  before.isPresent() ? ResourceChange.Op.UPDATED : ResourceChange.Op.CREATED,
                  before,
                  Optional.of(json)));
          edits.put(key.kind().wireName(), key.name(), json);
        }
        if (dryRun || changes.isEmpty()) {
          return new ApplyOutcome(head, dryRun, Instant.now(), changes, warnings);
        }
        try {
          Revision revision = store.apply(edits.build(), actor, message, head);
          return new ApplyOutcome(
              revision.number(), false, revision.createdAt(), changes, warnings);
        } catch (ConcurrentChangeException e) {
          // Another replica committed after we read: validate again against the new state.
          if (attempt == MAX_ATTEMPTS) {
            throw e;
          }
        }
      }
    } finally {
      applyLock.unlock();
    }
  }

  /**
   * The values of each Config in the batch against the schema its service published: a value the
   * service could not bind refuses the batch, placed at its line and column. A service that has
   * published no schema yet (it has not started on the chassis) cannot be checked: said in a
   * warning, and its Configs are accepted.
   */
  private List<Problem> checkConfigs(List<ParsedResource> parsed, List<String> warnings) {
    List<Problem> problems = new ArrayList<>();
    Map<String, Optional<ConfigSchema>> schemas = new TreeMap<>();
    for (ParsedResource p : parsed) {
      if (!(p.resource() instanceof Config config)) {
        continue;
      }
      String service = config.spec().service();
      Optional<ConfigSchema> schema = schemas.computeIfAbsent(service, configSchemas);
      if (schema.isPresent()) {
        problems.addAll(schema.get().check(config.spec().values(), p::positionOf));
      } else {
        warnings.add(
            "Config/"
                + config.metadata().name()
                + ": service "
                + service
                + " has published no config schema yet, so its values were not checked");
      }
    }
    return problems;
  }

  /** Deletes one resource; refused if it does not exist or other resources still refer to it. */
  public ApplyOutcome delete(ResourceKey key, String actor) {
    applyLock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        long head = store.head();
        Map<ResourceKey, StoredResource> current = stateAt(head);
        StoredResource existing = current.get(key);
        if (existing == null) {
          throw new NoSuchResourceException(key);
        }
        List<Problem> problems =
            ReferenceCheck.check(List.of(), decode(current.values()), Set.of(key));
        if (!problems.isEmpty()) {
          throw new InvalidResourceException(problems);
        }
        Revision revision;
        try {
          revision =
              store.apply(
                  ChangeSet.builder().delete(key.kind().wireName(), key.name()).build(),
                  actor,
                  "delete " + key,
                  head);
        } catch (ConcurrentChangeException e) {
          if (attempt == MAX_ATTEMPTS) {
            throw e;
          }
          continue;
        }
        return new ApplyOutcome(
            revision.number(),
            false,
            revision.createdAt(),
            List.of(
                new ResourceChange(
                    key,
                    ResourceChange.Op.DELETED,
                    Optional.of(existing.body()),
                    Optional.empty())));
      }
    } finally {
      applyLock.unlock();
    }
  }

  /** Restores the state of {@code target} as a new revision. */
  public ApplyOutcome rollback(long target, String actor) {
    applyLock.lock();
    try {
      List<ResourceChange> changes = diff(store.current(), store.at(target));
      Revision revision = store.rollback(target, actor);
      return new ApplyOutcome(
          revision.number(),
          false,
          revision.createdAt(),
          revision.unchanged() ? List.of() : changes);
    } finally {
      applyLock.unlock();
    }
  }

  public List<ResourceChange> diff(long from, long to) {
    return diff(store.at(from), store.at(to));
  }

  public long head() {
    return store.head();
  }

  public List<StoredResource> list(Optional<Kind> kind) {
    return kind.map(k -> store.current(k.wireName())).orElseGet(store::current);
  }

  public Optional<StoredResource> get(ResourceKey key) {
    return store.get(key.kind().wireName(), key.name());
  }

  public List<Revision> history(int limit) {
    return store.history(limit);
  }

  public Optional<Revision> revision(long number) {
    return store.revision(number);
  }

  /** Every current resource, decoded: the input of the xDS translation. */
  public List<Resource> currentResources() {
    return decode(store.current());
  }

  /** The state right after {@code head}, read after the head so nothing newer is missed. */
  private Map<ResourceKey, StoredResource> stateAt(long head) {
    Map<ResourceKey, StoredResource> byKey = new TreeMap<>();
    for (StoredResource r : head == 0 ? List.<StoredResource>of() : store.at(head)) {
      byKey.put(keyOf(r), r);
    }
    return byKey;
  }

  private Resource decoded(String body) {
    return decoded.computeIfAbsent(body, ResourceCodec::fromJson);
  }

  private List<Resource> decode(java.util.Collection<StoredResource> stored) {
    List<Resource> resources = new ArrayList<>(stored.size());
    for (StoredResource r : stored) {
      resources.add(decoded(r.body()));
    }
    if (decoded.size() > 4 * Math.max(64, stored.size())) {
      decoded.clear(); // bounded: old bodies drop out; current ones are decoded again on demand
    }
    return resources;
  }

  private static ResourceKey keyOf(StoredResource r) {
    Kind kind =
        Kind.fromWireName(r.kind())
            .orElseThrow(() -> new IllegalStateException("store holds unknown kind " + r.kind()));
    return new ResourceKey(kind, r.name());
  }

  private static List<ResourceChange> diff(List<StoredResource> from, List<StoredResource> to) {
    Map<ResourceKey, String> before = new TreeMap<>();
    from.forEach(r -> before.put(keyOf(r), r.body()));
    Map<ResourceKey, String> after = new TreeMap<>();
    to.forEach(r -> after.put(keyOf(r), r.body()));
    List<ResourceChange> changes = new ArrayList<>();
    before.forEach(
        (key, body) -> {
          String now = after.get(key);
          if (now == null) {
            changes.add(
                new ResourceChange(
                    key, ResourceChange.Op.DELETED, Optional.of(body), Optional.empty()));
          } else if (!now.equals(body)) {
            changes.add(
                new ResourceChange(
                    key, ResourceChange.Op.UPDATED, Optional.of(body), Optional.of(now)));
          }
        });
    after.forEach(
        (key, body) -> {
          if (!before.containsKey(key)) {
            changes.add(
                new ResourceChange(
                    key, ResourceChange.Op.CREATED, Optional.empty(), Optional.of(body)));
          }
        });
    changes.sort(java.util.Comparator.comparing(ResourceChange::key));
    return changes;
  }
}
