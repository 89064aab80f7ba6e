package dev.firemesh.chassis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {
  record Limits(long max, boolean halted) {}

  private final ConfigBinder<Limits> binder = ConfigBinder.of(Limits.class, new Limits(10, false));
  private final ServiceConfig<Limits> config =
      new ServiceConfig<>(
          binder,
          new ConfigRevision<>(
              1,
              new Limits(10, false),
              Map.of(),
              ConfigOrigin.CONTROL_PLANE,
              "d1",
              Clock.systemUTC().instant()),
          Clock.systemUTC());

  @AfterEach
  void close() {
    config.close();
  }

  @Test
  void listenersHearEachChangeOnceInOrderWithOldAndNew() {
    List<String> first = new CopyOnWriteArrayList<>();
    List<String> second = new CopyOnWriteArrayList<>();
    config.onChange(
        (old, now, revision) -> first.add(old.max() + ">" + now.max() + "@" + revision));
    config.onChange(
        (old, now, revision) -> second.add(old.max() + ">" + now.max() + "@" + revision));

    config.apply(
        2, new Limits(20, false), Map.of("max", "Config/a"), ConfigOrigin.CONTROL_PLANE, "d2");
    config.apply(
        3, new Limits(30, false), Map.of("max", "Config/a"), ConfigOrigin.CONTROL_PLANE, "d3");

    await().until(() -> first.size() == 2 && second.size() == 2);
    assertThat(first).containsExactly("10>20@2", "20>30@3");
    assertThat(second).containsExactly("10>20@2", "20>30@3");
    assertThat(config.get()).isEqualTo(new Limits(30, false));
    assertThat(config.revision()).isEqualTo(3);
    assertThat(config.appliedCount()).isEqualTo(3);
  }

  @Test
  void aReaderNeverSeesAValueWithAnotherRevisionsSources() throws Exception {
    // Each revision n holds max = n and names its source "Config/n": a torn read would mix them.
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong torn = new java.util.concurrent.atomic.AtomicLong();
    Thread reader =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (!done.get()) {
                    ConfigRevision<Limits> seen = config.current();
                    if (seen.revision() > 1
                        && (seen.value().max() != seen.revision()
                            || !seen.sources().get("max").equals("Config/" + seen.revision()))) {
                      torn.incrementAndGet();
                    }
                  }
                });
    for (long revision = 2; revision <= 20_000; revision++) {
      config.apply(
          revision,
          new Limits(revision, false),
          Map.of("max", "Config/" + revision),
          ConfigOrigin.CONTROL_PLANE,
          "d" + revision);
    }
    done.set(true);
    reader.join();

    assertThat(torn.get()).isZero();
    assertThat(config.current().value().max()).isEqualTo(20_000);
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheOthers() {
    List<Long> heard = new CopyOnWriteArrayList<>();
    config.onChange(
        (old, now, revision) -> {
          throw new IllegalStateException("a listener's bug");
        });
    config.onChange((old, now, revision) -> heard.add(revision));

    config.apply(2, new Limits(20, false), Map.of(), ConfigOrigin.CONTROL_PLANE, "d2");
    config.apply(3, new Limits(20, true), Map.of(), ConfigOrigin.CONTROL_PLANE, "d3");

    await().until(() -> heard.size() == 2);
    assertThat(heard).containsExactly(2L, 3L);
  }

  @Test
  void aRevisionWithAnEqualValueIsRecordedSilently() {
    List<Long> heard = new CopyOnWriteArrayList<>();
    config.onChange((old, now, revision) -> heard.add(revision));

    config.apply(2, new Limits(10, false), Map.of(), ConfigOrigin.CONTROL_PLANE, "d2");
    config.apply(3, new Limits(11, false), Map.of(), ConfigOrigin.CONTROL_PLANE, "d3");

    await().until(() -> heard.size() == 1);
    assertThat(heard).containsExactly(3L);
    assertThat(config.revision()).isEqualTo(3);
  }

  @Test
  void aClosedSubscriptionHearsNoMore() {
    List<Long> heard = new CopyOnWriteArrayList<>();
    List<Long> witness = new CopyOnWriteArrayList<>();
    Subscription subscription = config.onChange((old, now, revision) -> heard.add(revision));
    config.onChange((old, now, revision) -> witness.add(revision));

    config.apply(2, new Limits(20, false), Map.of(), ConfigOrigin.CONTROL_PLANE, "d2");
    await().until(() -> witness.size() == 1);
    subscription.close();
    config.apply(3, new Limits(30, false), Map.of(), ConfigOrigin.CONTROL_PLANE, "d3");
    await().until(() -> witness.size() == 2);

    assertThat(heard).containsExactly(2L);
  }

  @Test
  void namesTheSourceOfEachFieldAndTheDefaultForTheRest() {
    config.apply(
        2,
        new Limits(20, false),
        Map.of("max", "Config/orders-prod"),
        ConfigOrigin.CONTROL_PLANE,
        "d2");

    assertThat(config.source("max")).isEqualTo("Config/orders-prod");
    assertThat(config.source("halted")).isEqualTo(ServiceConfig.DEFAULT_SOURCE);
    assertThatThrownBy(() -> config.source("nope")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultsAloneAreAConfigurationWithoutAControlPlane() {
    try (ServiceConfig<Limits> defaults = ServiceConfig.ofDefaults(binder)) {
      assertThat(defaults.get()).isEqualTo(new Limits(10, false));
      assertThat(defaults.origin()).isEqualTo(ConfigOrigin.DEFAULTS);
      assertThat(defaults.revision()).isZero();
    }
    assertThatThrownBy(
            () ->
                ServiceConfig.ofDefaults(
                    ConfigBinder.of(OrdersConfig.class, OrdersConfig.DEFAULTS)))
        .isInstanceOf(ConfigUnavailableException.class)
        .hasMessageContaining("apiKey: required");
  }
}
