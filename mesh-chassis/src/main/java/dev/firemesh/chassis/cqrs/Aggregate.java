package dev.firemesh.chassis.cqrs;

/**
 * An event-sourced aggregate as pure functions (the "decider"): its state is the fold of its events
 * with {@link #evolve} from {@link #initial}, and a command is answered by {@link #decide} from
 * that state, without side effects. The chassis loads, decides, appends with optimistic concurrency
 * and records the outcome by command id; the aggregate never sees the store.
 *
 * @param <S> the state: an immutable value (a record), {@code initial()} before any event
 * @param <C> the commands it takes (usually a sealed interface of records)
 * @param <E> the events it decides (usually a sealed interface of records)
 */
public interface Aggregate<S, C, E> {

  /**
   * The stream category: the aggregate with id {@code 42} lives in stream {@code <category>-42}.
   * Lower case letters and digits, no {@code -}.
   */
  String category();

  /** The state of an aggregate that has no event yet. */
  S initial();

  /**
   * What {@code command} does to an aggregate in {@code state}: events to append, or a rejection.
   */
  Decision<E> decide(S state, C command);

  /** The state after {@code event}. Total: every event this aggregate ever decided applies. */
  S evolve(S state, E event);
}
