package dev.firemesh.examples.trading.generator.domain;

import dev.firemesh.chassis.refdata.standard.Isin;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Makes the next order. Valid orders are limit orders near the touch (a buyer pays up to two ticks
 * through the ask or rests up to two ticks under the bid, and the mirror for a seller), so they
 * look like a desk's flow; without a quote yet, near the reference price. Single-threaded.
 */
public final class OrderFlow {
  private static final List<Intent> INVALID =
      List.of(
          Intent.UNKNOWN_INSTRUMENT,
          Intent.BAD_CHECK_DIGIT,
          Intent.CLOSED_ACCOUNT,
          Intent.OVERSIZED,
          Intent.OFF_TICK);

  /** The most shares a valid order asks for (the demo's orders refuses above 100,000 in prod). */
  static final long MAX_QUANTITY = 50_000;

  private final List<Tradable> tradables;
  private final List<String> openAccounts;
  private final List<String> closedAccounts;
  private final double invalidShare;
  private final RandomGenerator random;
  private final String run;
  private long sequence;

  /**
   * @param invalidShare the share of orders meant to be rejected, from 0 to 1
   * @param run names this run in the client order ids ({@code GEN-<run>-0000001}): orders takes a
   *     client order id as the placement's command id, which it remembers for good, so a restarted
   *     generator must not send the ids of an earlier run again
   */
  public OrderFlow(
      List<Tradable> tradables,
      List<String> openAccounts,
      List<String> closedAccounts,
      double invalidShare,
      RandomGenerator random,
      String run) {
    if (tradables.isEmpty() || openAccounts.isEmpty()) {
      throw new IllegalArgumentException("an order flow needs instruments and an open account");
    }
    if (invalidShare < 0 || invalidShare > 1) {
      throw new IllegalArgumentException("invalidShare must be from 0 to 1, got " + invalidShare);
    }
    this.tradables = List.copyOf(tradables);
    this.openAccounts = List.copyOf(openAccounts);
    this.closedAccounts = List.copyOf(closedAccounts);
    this.invalidShare = invalidShare;
    this.random = random;
    this.run = run;
  }

  /**
   * The next order.
   *
   * @param touch the latest quote of an instrument, if any
   */
  public Ticket next(Function<String, Optional<Touch>> touch) {
    Intent intent =
        random.nextDouble() < invalidShare
            ? INVALID.get(random.nextInt(INVALID.size()))
            : Intent.VALID;
    if (intent == Intent.CLOSED_ACCOUNT && closedAccounts.isEmpty()) {
      intent = Intent.VALID;
    }
    Tradable tradable = tradables.get(random.nextInt(tradables.size()));
    boolean buy = random.nextBoolean();
    BigDecimal tick = tradable.tickSize();
    BigDecimal price = price(tradable, buy, touch.apply(tradable.isin()));
    double notionalEur = 5_000 + random.nextDouble() * 145_000;
    String isin = tradable.isin();
    String account = openAccounts.get(random.nextInt(openAccounts.size()));
    switch (intent) {
      case VALID -> {}
      case UNKNOWN_INSTRUMENT -> isin = Isin.of("XS" + digits(9)).value();
      case BAD_CHECK_DIGIT -> {
        char check = isin.charAt(11);
        isin = isin.substring(0, 11) + (char) ('0' + (check - '0' + 1) % 10);
      }
      case CLOSED_ACCOUNT -> account = closedAccounts.get(random.nextInt(closedAccounts.size()));
      case OVERSIZED -> notionalEur = 2_000_000 + random.nextDouble() * 3_000_000;
      case OFF_TICK -> price = price.add(tick.divide(BigDecimal.TWO));
    }
    BigDecimal notional =
        BigDecimal.valueOf(notionalEur).divide(tradable.eurPerUnit(), 2, RoundingMode.HALF_UP);
    long quantity = notional.divide(price, 0, RoundingMode.DOWN).longValue();
    if (intent != Intent.OVERSIZED) {
      // A desk's order, even in a stock worth cents: under any maximum quantity orders is given.
      quantity = Math.min(quantity, MAX_QUANTITY);
    }
    quantity = Math.max(10, quantity / 10 * 10);
    return new Ticket(
        "GEN-%s-%07d".formatted(run, ++sequence),
        account,
        isin,
        buy ? "BUY" : "SELL",
        quantity,
        price,
        intent);
  }

  private BigDecimal price(Tradable tradable, boolean buy, Optional<Touch> touch) {
    BigDecimal tick = tradable.tickSize();
    BigDecimal ticks = tick.multiply(BigDecimal.valueOf(random.nextInt(0, 3)));
    BigDecimal price;
    if (touch.isPresent()) {
      boolean aggressive = random.nextBoolean();
      Touch t = touch.get();
      price =
          buy
              ? (aggressive ? t.ask().add(ticks) : t.bid().subtract(ticks))
              : (aggressive ? t.bid().subtract(ticks) : t.ask().add(ticks));
    } else {
      price =
          buy ? tradable.referencePrice().subtract(ticks) : tradable.referencePrice().add(ticks);
    }
    return price.signum() > 0 ? price : tick;
  }

  private String digits(int n) {
    StringBuilder out = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      out.append((char) ('0' + random.nextInt(10)));
    }
    return out.toString();
  }
}
