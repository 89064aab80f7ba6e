package dev.firemesh.examples.trading.risk.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.chassis.refdata.ReferenceView;
import dev.firemesh.chassis.refdata.domain.AccountStatus;
import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import dev.firemesh.chassis.refdata.domain.TradeAccount;
import dev.firemesh.chassis.refdata.standard.CurrencyCode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Limits come from the account records and the risk configuration in force at each check: a change
 * to either counts from the next order.
 */
class AccountLimitsTest {
  private static final Currency EUR = Currency.getInstance("EUR");

  private final AtomicReference<ReferenceView> view =
      new AtomicReference<>(
          viewOf(
              1,
              account("ACC-GBP", "GBP", "100000"),
              account("ACC-EUR", "EUR", "50000"),
              account("ACC-SEK", "SEK", "50000")));
  private final AtomicReference<RiskConfig> config =
      new AtomicReference<>(
          new RiskConfig(BigDecimal.ONE, 10, BigDecimal.ZERO, "0 17 * * *", true));
  private final AccountLimits limits =
      new AccountLimits(
          () -> view.get().of(ReferenceSets.ACCOUNTS), config::get, ReferenceRates.sample());

  @Test
  void aLimitIsTheAccountsOwnInEurosTimesTheMultiplierWithinTheCap() {
    assertThat(limits.of("ACC-GBP"))
        .contains(new Limit("ACC-GBP", new BigDecimal("117000.00"), new BigDecimal("1170000.00")));

    config.set(
        new RiskConfig(new BigDecimal("0.5"), 10, new BigDecimal("40000"), "0 17 * * *", true));

    assertThat(limits.of("ACC-GBP").orElseThrow().maxOrderNotional()).isEqualByComparingTo("40000");
    assertThat(limits.of("ACC-EUR").orElseThrow().maxOrderNotional()).isEqualByComparingTo("25000");
    assertThat(limits.of("ACC-EUR").orElseThrow().maxWindowNotional())
        .isEqualByComparingTo("250000");
  }

  @Test
  void anUnknownAccountOrOneWithoutARateHasNoLimitSoItsOrdersAreRefused() {
    assertThat(limits.of("ACC-NONE")).isEmpty();
    assertThat(limits.of("ACC-SEK")).isEmpty();
    assertThat(limits.all()).extracting(Limit::account).containsExactly("ACC-EUR", "ACC-GBP");
  }

  @Test
  void theBookFollowsAChangedRecordAndAMultiplierOfZeroRefusesEverything() {
    RiskBook book =
        new RiskBook(
            limits,
            ReferenceRates.sample(),
            InstantSource.fixed(Instant.parse("2026-11-27T09:00:00Z")),
            Duration.ofMinutes(1));
    LimitCheck order = new LimitCheck("ACC-EUR", "DE0007164600", 100, new BigDecimal("600"), EUR);
    assertThat(book.check(order)).isInstanceOf(RiskDecision.Breached.class); // 60,000 > 50,000

    view.set(viewOf(2, account("ACC-EUR", "EUR", "80000")));
    assertThat(book.check(order)).isInstanceOf(RiskDecision.Approved.class);

    config.set(new RiskConfig(BigDecimal.ZERO, 10, BigDecimal.ZERO, "0 17 * * *", true));
    assertThat(book.check(order)).isInstanceOf(RiskDecision.Breached.class);
  }

  private static TradeAccount account(String id, String currency, String maxOrderNotional) {
    return ReferenceSets.ACCOUNTS.fromJson(
        ReferenceSets.ACCOUNTS.toJson(
            new TradeAccount(
                id,
                "Owner of " + id,
                CurrencyCode.parse(currency),
                AccountStatus.OPEN,
                new dev.firemesh.chassis.refdata.domain.AccountLimits(
                    new BigDecimal(maxOrderNotional), 1_000_000, new BigDecimal("100000")))));
  }

  private static ReferenceView viewOf(long version, TradeAccount... accounts) {
    ReferenceView.Editor edit = ReferenceView.empty(List.of(ReferenceSets.ACCOUNTS)).edit();
    for (TradeAccount account : accounts) {
      edit.upsert(ReferenceSets.ACCOUNTS.name(), account.accountId(), account);
    }
    return edit.publish(version, Instant.parse("2026-11-27T09:00:00Z"));
  }
}
