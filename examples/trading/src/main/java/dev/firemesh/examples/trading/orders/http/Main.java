package dev.firemesh.examples.trading.orders.http;

import dev.firemesh.chassis.Chassis;
import dev.firemesh.chassis.config.ServiceConfig;
import dev.firemesh.chassis.cqrs.CommandTypes;
import dev.firemesh.chassis.cqrs.Snapshots;
import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import dev.firemesh.examples.trading.orders.domain.OrderAggregate;
import dev.firemesh.examples.trading.orders.domain.OrderCommand;
import dev.firemesh.examples.trading.orders.domain.OrderDesk;
import dev.firemesh.examples.trading.orders.domain.OrderState;
import dev.firemesh.examples.trading.orders.domain.OrderStats;
import dev.firemesh.examples.trading.orders.domain.OrderTypes;
import dev.firemesh.examples.trading.orders.domain.OrdersConfig;
import dev.firemesh.examples.trading.orders.flow.RiskFeed;
import dev.firemesh.examples.trading.orders.flow.VenueFills;
import dev.firemesh.examples.trading.plumbing.Arguments;
import dev.firemesh.examples.trading.plumbing.ChassisReady;
import dev.firemesh.examples.trading.plumbing.Dependencies;
import dev.firemesh.examples.trading.plumbing.Summary;
import dev.firemesh.examples.trading.risk.domain.ExposureTypes;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orders service, on the chassis: its mesh membership, configuration ({@link OrdersConfig},
 * live), reference data (a replica of instruments, accounts and venues) and store (its event store,
 * shared by its instances) come from the {@code FIREMESH_*} environment. Orders are event-sourced
 * ({@link OrderAggregate}); the simulated venue fills them ({@link VenueFills}) and their events
 * reach risk as commands ({@link RiskFeed}). Arguments: {@code --version V} (put in answers;
 * default v1) and {@code --ready-file FILE} (optional, written once it serves).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger("orders");

  private Main() {}

  public static void main(String[] argv) throws Exception {
    Arguments args = Arguments.parse("orders", argv);
    String version = args.string("version", "v1");
    // Its replica loads from reference-data as it starts; its first order asks risk.
    Dependencies.await("reference-data", "/venues");
    Dependencies.await("risk", "/limits");
    Chassis chassis = builder(version).start();
    ChassisReady.announce(args, chassis);
    chassis.awaitStop();
  }

  /**
   * Orders as it runs, but for where it is and what it talks to: tests add those and start it.
   *
   * @param version put in answers
   */
  public static Chassis.Builder builder(String version) {
    OrderAggregate orders = new OrderAggregate();
    return Chassis.builder()
        .service("orders")
        .config(OrdersConfig.class, OrdersConfig.DEFAULTS)
        .referenceData(
            "reference-data",
            ReferenceSets.INSTRUMENTS,
            ReferenceSets.ACCOUNTS,
            ReferenceSets.VENUES)
        .events(OrderTypes.events())
        // Risk's commands too: orders sends them.
        .commands(ExposureTypes.commands(OrderTypes.commands(CommandTypes.builder())).build())
        // An order's stream is short; a long-lived one (many partial fills) replays from here.
        .aggregate(orders, OrderCommand.class, Snapshots.every(5, OrderState.class, 1))
        .routes(
            context -> {
              ServiceConfig<OrdersConfig> config = context.config(OrdersConfig.class);
              OrderDesk desk =
                  new OrderDesk(
                      context.instanceId(),
                      () -> config.get().policy(),
                      new ReplicaDirectory(() -> context.referenceData().view()),
                      new RiskClient(context.mesh(), () -> config.get().riskTimeout()),
                      InstantSource.system());
              config.onChange(
                  (before, after, revision) ->
                      log.info("orders config revision {} in force: {}", revision, after));
              Summary.every(Duration.ofSeconds(10), log, () -> line(desk.stats()));
              return new OrdersRoutes(
                      desk, orders, context.commandProcessor(), context.instanceId(), version)
                  .routes();
            })
        .subscriptions(
            context ->
                List.of(
                    new VenueFills(
                            orders,
                            context.commandProcessor(),
                            () -> context.referenceData().view())
                        .subscription(),
                    new RiskFeed(context.commands()).subscription()));
  }

  private static String line(OrderStats stats) {
    return "orders: "
        + stats.accepted()
        + " accepted, "
        + stats.rejectedTotal()
        + " rejected "
        + stats.rejected();
  }
}
