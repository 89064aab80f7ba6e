package dev.firemesh.chassis.cqrs;

import dev.firemesh.chassis.events.EventTypes;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;

/** A small event-sourced bank account: the sample aggregate of the command tests. */
final class Accounts {
  sealed interface AccountCommand {}

  record Open(String owner) implements AccountCommand {}

  record Deposit(BigDecimal amount) implements AccountCommand {}

  record Withdraw(BigDecimal amount) implements AccountCommand {}

  record Close(String reason) implements AccountCommand {}

  sealed interface AccountEvent {}

  record Opened(String owner) implements AccountEvent {}

  record Deposited(BigDecimal amount) implements AccountEvent {}

  record Withdrawn(BigDecimal amount) implements AccountEvent {}

  record Closed(String reason) implements AccountEvent {}

  /** The state; {@code changes} counts every event folded, so a lost or doubled one shows. */
  record Account(String owner, boolean open, boolean closed, BigDecimal balance, int changes) {}

  static final EventTypes EVENTS =
      EventTypes.builder()
          .type("Opened", Opened.class)
          .type("Deposited", Deposited.class)
          .type("Withdrawn", Withdrawn.class)
          .type("Closed", Closed.class)
          .build();

  static final CommandTypes COMMANDS =
      CommandTypes.builder()
          .type("Open", Open.class)
          .type("Deposit", Deposit.class)
          .type("Withdraw", Withdraw.class)
          .type("Close", Close.class)
          .build();

  /** The account aggregate; counts its decisions, and may run a hook before each. */
  static final class AccountAggregate implements Aggregate<Account, AccountCommand, AccountEvent> {
    final AtomicInteger decisions = new AtomicInteger();
    volatile Runnable beforeDecide = () -> {};

    @Override
    public String category() {
      return "account";
    }

    @Override
    public Account initial() {
      return new Account("", false, false, BigDecimal.ZERO, 0);
    }

    @Override
    public Decision<AccountEvent> decide(Account state, AccountCommand command) {
      decisions.incrementAndGet();
      beforeDecide.run();
      return switch (command) {
        case Open open ->
            state.open() || state.closed()
                ? Decision.reject("ALREADY_OPENED", "the account was opened before")
                : Decision.accept(new Opened(open.owner()));
        case Deposit deposit -> {
          if (!state.open()) {
            yield Decision.reject("NOT_OPEN", "the account is not open");
          }
          if (deposit.amount().signum() <= 0) {
            yield Decision.reject("NOT_POSITIVE", "a deposit must be positive");
          }
          yield Decision.accept(new Deposited(deposit.amount()));
        }
        case Withdraw withdraw -> {
          if (!state.open()) {
            yield Decision.reject("NOT_OPEN", "the account is not open");
          }
          if (withdraw.amount().compareTo(state.balance()) > 0) {
            yield Decision.reject(
                "INSUFFICIENT_FUNDS",
                "balance " + state.balance() + " is below " + withdraw.amount());
          }
          yield Decision.accept(new Withdrawn(withdraw.amount()));
        }
        case Close close ->
            !state.open()
                ? Decision.reject("NOT_OPEN", "the account is not open")
                : state.balance().signum() == 0
                    ? Decision.accept(new Closed(close.reason()))
                    : Decision.accept(new Withdrawn(state.balance()), new Closed(close.reason()));
      };
    }

    @Override
    public Account evolve(Account state, AccountEvent event) {
      int changes = state.changes() + 1;
      return switch (event) {
        case Opened opened -> new Account(opened.owner(), true, false, state.balance(), changes);
        case Deposited deposited ->
            new Account(
                state.owner(),
                state.open(),
                false,
                state.balance().add(deposited.amount()),
                changes);
        case Withdrawn withdrawn ->
            new Account(
                state.owner(),
                state.open(),
                false,
                state.balance().subtract(withdrawn.amount()),
                changes);
        case Closed closed -> new Account(state.owner(), false, true, state.balance(), changes);
      };
    }
  }

  private Accounts() {}
}
