package dev.firemesh.chassis.cqrs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.chassis.events.NewEvent;
import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.chassis.events.Snapshot;
import dev.firemesh.chassis.events.WrongExpectedVersionException;
import dev.firemesh.chassis.http.HttpRoutes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles commands for the aggregates a service owns: loads the aggregate (its latest snapshot and
 * the events after it), lets it decide, and appends the events with the loaded version as the
 * expected one, recording the outcome under the command's id in the same transaction. A command id
 * seen before answers its stored outcome and decides nothing, however late it comes; a racing
 * duplicate waits for the first one's transaction and answers its outcome. A conflicting append
 * (another command on the same aggregate got there first) is decided again on the new state, up to
 * {@link #MAX_ATTEMPTS} times.
 *
 * <pre>{@code
 * CommandProcessor processor = CommandProcessor.builder(store, commandTypes)
 *     .aggregate(new OrderAggregate(), OrderCommand.class, Snapshots.every(100, Order.class, 1))
 *     .build();
 * server.routes(processor.routes());   // POST /firemesh/commands/v1/order/{id}
 * CommandOutcome outcome = processor.handle(orders, "42", commandId, new PlaceOrder(...), metadata);
 * }</pre>
 */
public final class CommandProcessor {
  private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

  /** How often a command is decided again after a conflicting append, at most. */
  public static final int MAX_ATTEMPTS = 5;

  /** The longest command id. */
  public static final int MAX_COMMAND_ID_LENGTH = 200;

  /** An aggregate this service owns, the class of the commands it takes, and its snapshots. */
  record Registration<S, C, E>(
      Aggregate<S, C, E> aggregate, Class<C> commandType, Optional<Snapshots<S>> snapshots) {}

  /** An aggregate's state and the version of the last event folded into it (0 for none). */
  public record Loaded<S>(S state, long version) {}

  private final EventStore store;
  private final CommandTypes commands;
  private final Map<String, Registration<?, ?, ?>> byCategory;
  private final ObjectMapper json = EventTypes.newMapper();
  private final MeterRegistry meters;

  /** An outcome, and whether it was answered from an earlier handling of the same command id. */
  private record Recorded(CommandOutcome outcome, boolean repeated) {}

  private CommandProcessor(
      EventStore store,
      CommandTypes commands,
      Map<String, Registration<?, ?, ?>> byCategory,
      MeterRegistry meters) {
    this.store = store;
    this.commands = commands;
    this.byCategory = Map.copyOf(byCategory);
    this.meters = meters;
  }

  public static Builder builder(EventStore store, CommandTypes commands) {
    return new Builder(store, commands);
  }

  public EventStore store() {
    return store;
  }

  public CommandTypes commandTypes() {
    return commands;
  }

  /** The categories of the aggregates registered, which {@link #routes()} serves. */
  public Set<String> categories() {
    return byCategory.keySet();
  }

  /**
   * Handles {@code command} for the aggregate {@code aggregateId} of {@code aggregate}'s category
   * (stream {@code <category>-<aggregateId>}). An aggregate not registered with the builder may be
   * handled too, without snapshots.
   *
   * @throws IllegalArgumentException for a blank or over-long command id, an invalid aggregate id,
   *     or an aggregate whose category is registered with another aggregate
   * @throws WrongExpectedVersionException if every attempt met a conflicting append
   * @throws dev.firemesh.chassis.events.UnreadableEventException if the stream holds an event this
   *     service cannot read
   * @throws dev.firemesh.store.StoreException if the store cannot be reached
   */
  public <S, C, E> CommandOutcome handle(
      Aggregate<S, C, E> aggregate,
      String aggregateId,
      String commandId,
      C command,
      CommandMetadata metadata) {
    Objects.requireNonNull(command, "command");
    return handle(registration(aggregate), aggregateId, commandId, command, metadata);
  }

  /**
   * Handles a command for the aggregate registered under {@code category}, as the HTTP route does.
   *
   * @throws IllegalArgumentException if no aggregate is registered under {@code category}
   * @throws InvalidCommandException if that aggregate does not take {@code command}'s class
   */
  public CommandOutcome handle(
      String category,
      String aggregateId,
      String commandId,
      Object command,
      CommandMetadata metadata) {
    Registration<?, ?, ?> registration = byCategory.get(category);
    if (registration == null) {
      throw new IllegalArgumentException(
          "no aggregate of category '" + category + "' here; registered: " + categories());
    }
    return handleUntyped(registration, aggregateId, commandId, command, metadata);
  }

  private <S, C, E> CommandOutcome handleUntyped(
      Registration<S, C, E> registration,
      String aggregateId,
      String commandId,
      Object command,
      CommandMetadata metadata) {
    if (!registration.commandType().isInstance(command)) {
      throw new InvalidCommandException(
          "a "
              + registration.aggregate().category()
              + " does not take "
              + commandName(command)
              + " (it takes "
              + registration.commandType().getSimpleName()
              + ")");
    }
    return handle(
        registration, aggregateId, commandId, registration.commandType().cast(command), metadata);
  }

  /** The outcome recorded for {@code commandId}, if it was handled. */
  public Optional<CommandOutcome> outcome(String commandId) {
    return store
        .database()
        .transaction("read the outcome of command " + commandId, c -> storedOutcome(c, commandId));
  }

  /**
   * The current state of an aggregate, as a command would be decided on.
   *
   * @throws dev.firemesh.chassis.events.UnreadableEventException if the stream holds an event this
   *     service cannot read
   */
  public <S, C, E> Loaded<S> load(Aggregate<S, C, E> aggregate, String aggregateId) {
    Registration<S, C, E> registration = registration(aggregate);
    return load(registration, streamId(aggregate, aggregateId));
  }

  /**
   * {@code POST /firemesh/commands/v1/{category}/{aggregateId}} for the registered aggregates: see
   * {@link Commands} for the wire form.
   */
  public HttpRoutes routes() {
    return new CommandEndpoint(this).routes();
  }

  private <S, C, E> CommandOutcome handle(
      Registration<S, C, E> registration,
      String aggregateId,
      String commandId,
      C command,
      CommandMetadata metadata) {
    checkCommandId(commandId);
    Aggregate<S, C, E> aggregate = registration.aggregate();
    String streamId = streamId(aggregate, aggregateId);
    String commandType = commandName(command);
    String correlationId =
        metadata.correlationId().isBlank() ? commandId : metadata.correlationId();
    WrongExpectedVersionException conflict = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Optional<CommandOutcome> seen = outcome(commandId);
      if (seen.isPresent()) {
        return counted(aggregate.category(), new Recorded(seen.get(), true));
      }
      Loaded<S> loaded = load(registration, streamId);
      Decision<E> decision = aggregate.decide(loaded.state(), command);
      try {
        Recorded recorded =
            store
                .database()
                .transaction(
                    "handle command " + commandId + " on " + streamId,
                    c ->
                        record(
                            c,
                            registration,
                            streamId,
                            commandId,
                            commandType,
                            loaded,
                            decision,
                            new CommandMetadata(
                                metadata.actor(), correlationId, metadata.traceId())));
        return counted(aggregate.category(), recorded);
      } catch (WrongExpectedVersionException e) {
        meters
            .counter("firemesh_chassis_command_conflicts", "category", aggregate.category())
            .increment();
        log.debug(
            "command {} met a conflict on {} (attempt {}): {}",
            commandId,
            streamId,
            attempt,
            e.getMessage());
        conflict = e;
      }
    }
    throw conflict;
  }

  private CommandOutcome counted(String category, Recorded recorded) {
    String outcome =
        recorded.repeated()
            ? "repeated"
            : recorded.outcome() instanceof CommandOutcome.Accepted ? "accepted" : "rejected";
    meters
        .counter("firemesh_chassis_commands", "category", category, "outcome", outcome)
        .increment();
    return recorded.outcome();
  }

  /**
   * Records the outcome, then appends the events: the outcome's primary key is taken first, so a
   * racing duplicate waits here for this transaction and then answers what it recorded.
   */
  private <S, C, E> Recorded record(
      Connection c,
      Registration<S, C, E> registration,
      String streamId,
      String commandId,
      String commandType,
      Loaded<S> loaded,
      Decision<E> decision,
      CommandMetadata metadata)
      throws SQLException {
    List<NewEvent> events = new ArrayList<>();
    CommandOutcome decided =
        switch (decision) {
          case Decision.Accept<E> accept -> {
            for (E event : accept.events()) {
              events.add(
                  NewEvent.forCommand(
                      event,
                      commandId,
                      metadata.correlationId(),
                      metadata.traceId(),
                      metadata.actor()));
            }
            yield new CommandOutcome.Accepted(
                streamId,
                loaded.version() + events.size(),
                events.stream().map(NewEvent::eventId).toList());
          }
          case Decision.Reject<E> reject ->
              new CommandOutcome.Rejected(reject.code(), reject.reason());
        };
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into es_commands (command_id, stream_id, command_type, outcome)"
                + " values (?, ?, ?, ?::jsonb) on conflict (command_id) do nothing")) {
      s.setString(1, commandId);
      s.setString(2, streamId);
      s.setString(3, commandType);
      s.setString(4, decided.toJson());
      if (s.executeUpdate() == 0) {
        return new Recorded(
            storedOutcome(c, commandId)
                .orElseThrow(() -> new IllegalStateException("command " + commandId + " vanished")),
            true);
      }
    }
    if (events.isEmpty()) {
      return new Recorded(decided, false);
    }
    store.append(c, streamId, loaded.version(), events);
    Optional<Snapshots<S>> snapshots = registration.snapshots();
    long version = loaded.version() + events.size();
    if (snapshots.isPresent()
        && version / snapshots.get().every() > loaded.version() / snapshots.get().every()) {
      S state = loaded.state();
      for (E event : ((Decision.Accept<E>) decision).events()) {
        state = registration.aggregate().evolve(state, event);
      }
      store.saveSnapshot(c, snapshot(streamId, version, state, snapshots.get()));
    }
    return new Recorded(decided, false);
  }

  private <S> Snapshot snapshot(String streamId, long version, S state, Snapshots<S> snapshots) {
    try {
      return new Snapshot(
          streamId,
          version,
          snapshots.stateType().getName(),
          snapshots.schemaVersion(),
          json.writeValueAsString(state));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the state of "
              + streamId
              + " ("
              + snapshots.stateType().getName()
              + ") does not serialize to JSON for a snapshot: "
              + e.getOriginalMessage(),
          e);
    }
  }

  @SuppressWarnings("unchecked") // a stream holds the events its aggregate decided
  private <S, C, E> Loaded<S> load(Registration<S, C, E> registration, String streamId) {
    Aggregate<S, C, E> aggregate = registration.aggregate();
    S state = aggregate.initial();
    long version = 0;
    if (registration.snapshots().isPresent()) {
      Snapshots<S> wanted = registration.snapshots().get();
      Optional<Snapshot> snapshot =
          store
              .latestSnapshot(streamId)
              .filter(s -> s.stateType().equals(wanted.stateType().getName()))
              .filter(s -> s.schemaVersion() == wanted.schemaVersion());
      if (snapshot.isPresent()) {
        try {
          state = json.readValue(snapshot.get().json(), wanted.stateType());
          version = snapshot.get().streamVersion();
        } catch (JsonProcessingException e) {
          log.warn(
              "snapshot of {} at version {} does not read as {} ({}); replaying the stream",
              streamId,
              snapshot.get().streamVersion(),
              wanted.stateType().getName(),
              e.getOriginalMessage());
        }
      }
    }
    for (RecordedEvent event : store.readStream(streamId, version + 1)) {
      state = aggregate.evolve(state, (E) event.payload());
      version = event.streamVersion();
    }
    return new Loaded<>(state, version);
  }

  private static Optional<CommandOutcome> storedOutcome(Connection c, String commandId)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select outcome::text from es_commands where command_id = ?")) {
      s.setString(1, commandId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(CommandOutcome.fromJson(rs.getString(1))) : Optional.empty();
      }
    }
  }

  @SuppressWarnings("unchecked") // registered under the aggregate's category, checked to be it
  private <S, C, E> Registration<S, C, E> registration(Aggregate<S, C, E> aggregate) {
    Registration<?, ?, ?> registered = byCategory.get(aggregate.category());
    if (registered == null) {
      // handled in process only: no command class to check against, as none comes from the wire
      return new Registration<>(aggregate, null, Optional.empty());
    }
    if (registered.aggregate() != aggregate) {
      throw new IllegalArgumentException(
          "category '" + aggregate.category() + "' is registered with another aggregate");
    }
    return (Registration<S, C, E>) registered;
  }

  private String commandName(Object command) {
    try {
      return commands.name(command.getClass());
    } catch (IllegalArgumentException e) {
      return command.getClass().getName(); // handled locally without being registered
    }
  }

  private static String streamId(Aggregate<?, ?, ?> aggregate, String aggregateId) {
    if (aggregateId == null || aggregateId.isBlank()) {
      throw new IllegalArgumentException("an aggregate id must not be blank");
    }
    String streamId = aggregate.category() + "-" + aggregateId;
    if (!EventStore.categoryOf(streamId).equals(aggregate.category())) {
      throw new IllegalArgumentException(
          "aggregate category '" + aggregate.category() + "' must not contain '-'");
    }
    return streamId;
  }

  private static void checkCommandId(String commandId) {
    if (commandId == null || commandId.isBlank()) {
      throw new IllegalArgumentException("a command id must not be blank");
    }
    if (commandId.length() > MAX_COMMAND_ID_LENGTH) {
      throw new IllegalArgumentException(
          "a command id has at most "
              + MAX_COMMAND_ID_LENGTH
              + " characters, not "
              + commandId.length());
    }
  }

  public static final class Builder {
    private final EventStore store;
    private final CommandTypes commands;
    private final Map<String, Registration<?, ?, ?>> byCategory = new LinkedHashMap<>();
    private MeterRegistry meters = new SimpleMeterRegistry();

    private Builder(EventStore store, CommandTypes commands) {
      this.store = Objects.requireNonNull(store, "store");
      this.commands = Objects.requireNonNull(commands, "commands");
    }

    /**
     * Owns {@code aggregate}: its commands are taken over the mesh at {@code
     * /firemesh/commands/v1/<category>/{id}}; no snapshots.
     *
     * @param commandType what its commands are (usually their sealed interface)
     * @throws IllegalArgumentException for a category that is not lower case letters and digits, or
     *     one registered twice
     */
    public <S, C, E> Builder aggregate(Aggregate<S, C, E> aggregate, Class<C> commandType) {
      return register(new Registration<>(aggregate, commandType, Optional.empty()));
    }

    /** As {@link #aggregate(Aggregate, Class)}, snapshotted as {@code snapshots} says. */
    public <S, C, E> Builder aggregate(
        Aggregate<S, C, E> aggregate, Class<C> commandType, Snapshots<S> snapshots) {
      return register(new Registration<>(aggregate, commandType, Optional.of(snapshots)));
    }

    private Builder register(Registration<?, ?, ?> registration) {
      Objects.requireNonNull(registration.commandType(), "commandType");
      String category = registration.aggregate().category();
      if (category == null || !category.matches("[a-z][a-z0-9]{0,62}")) {
        throw new IllegalArgumentException(
            "aggregate category '" + category + "' must be lower case letters and digits");
      }
      if (byCategory.putIfAbsent(category, registration) != null) {
        throw new IllegalArgumentException("category '" + category + "' is registered twice");
      }
      return this;
    }

    /**
     * Where to count commands: {@code firemesh_chassis_commands_total{category,outcome}} (accepted,
     * rejected, repeated: answered from an earlier handling of its id) and {@code
     * firemesh_chassis_command_conflicts_total{category}} (decided again after a racing append).
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meters = Objects.requireNonNull(registry, "registry");
      return this;
    }

    public CommandProcessor build() {
      return new CommandProcessor(store, commands, byCategory, meters);
    }
  }
}
