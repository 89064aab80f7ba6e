package dev.firemesh.examples.trading.risk.domain;

import dev.firemesh.chassis.refdata.ReferenceTable;
import dev.firemesh.chassis.refdata.domain.TradeAccount;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Limits from the accounts' own records (reference data: {@code limits.maxOrderNotional} in the
 * account's base currency), in euros, shaped by the risk configuration in force. Both are read at
 * every check, so a limit changed at the owner or a multiplier applied with the CLI counts from the
 * next order.
 */
public final class AccountLimits implements LimitSource {
  private final Supplier<ReferenceTable<TradeAccount>> accounts;
  private final Supplier<RiskConfig> config;
  private final ReferenceRates rates;

  public AccountLimits(
      Supplier<ReferenceTable<TradeAccount>> accounts,
      Supplier<RiskConfig> config,
      ReferenceRates rates) {
    this.accounts = accounts;
    this.config = config;
    this.rates = rates;
  }

  @Override
  public Optional<Limit> of(String account) {
    RiskConfig in = config.get();
    return accounts.get().get(account).flatMap(a -> limit(a, in));
  }

  @Override
  public List<Limit> all() {
    RiskConfig in = config.get();
    return accounts.get().all().stream().flatMap(a -> limit(a, in).stream()).toList();
  }

  /** Empty for an account whose base currency has no reference rate: it cannot be measured. */
  private Optional<Limit> limit(TradeAccount account, RiskConfig config) {
    Currency base = Currency.getInstance(account.baseCurrency().code());
    return rates
        .toEur(account.limits().maxOrderNotional(), base)
        .map(
            eur -> {
              BigDecimal perOrder =
                  eur.multiply(config.limitMultiplier()).setScale(2, RoundingMode.HALF_UP);
              if (config.maxOrderNotionalEur().signum() > 0) {
                perOrder = perOrder.min(config.maxOrderNotionalEur());
              }
              return new Limit(
                  account.accountId(),
                  perOrder,
                  perOrder.multiply(BigDecimal.valueOf(config.windowMultiple())));
            });
  }
}
