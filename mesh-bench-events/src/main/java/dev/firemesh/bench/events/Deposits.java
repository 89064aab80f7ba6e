package dev.firemesh.bench.events;

import dev.firemesh.chassis.cqrs.Aggregate;
import dev.firemesh.chassis.cqrs.CommandTypes;
import dev.firemesh.chassis.cqrs.Decision;
import dev.firemesh.chassis.events.EventTypes;

/**
 * The bench's domain, as small as a real one gets: accounts that take deposits. The appends write
 * the same event straight to streams of their own category.
 */
final class Deposits {
  /** Category of the streams the append runs write. */
  static final String APPEND_CATEGORY = "benchledger";

  record Deposit(long cents) {}

  record Deposited(long cents) {}

  /** An account's state: its balance and how many deposits made it. */
  record Balance(long cents, long deposits) {}

  static final EventTypes EVENTS =
      EventTypes.builder().type("BenchDeposited", Deposited.class).build();

  static final CommandTypes COMMANDS =
      CommandTypes.builder().type("BenchDeposit", Deposit.class).build();

  /** Accepts a positive deposit into any account. */
  static final class Account implements Aggregate<Balance, Deposit, Deposited> {
    @Override
    public String category() {
      return "benchaccount";
    }

    @Override
    public Balance initial() {
      return new Balance(0, 0);
    }

    @Override
    public Decision<Deposited> decide(Balance state, Deposit command) {
      return command.cents() > 0
          ? Decision.accept(new Deposited(command.cents()))
          : Decision.reject("NOT_POSITIVE", "a deposit must be positive");
    }

    @Override
    public Balance evolve(Balance state, Deposited event) {
      return new Balance(state.cents() + event.cents(), state.deposits() + 1);
    }
  }

  private Deposits() {}
}
