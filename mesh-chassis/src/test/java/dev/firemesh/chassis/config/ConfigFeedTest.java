package dev.firemesh.chassis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.firemesh.xds.translate.NodeIdentity;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed against a real RTDS server on a loopback port, speaking the contract's documents. */
class ConfigFeedTest {
  private static final String SOURCES = "{\"maxOrderQuantity\":\"Config/orders-prod\"}";

  @TempDir Path cacheDirectory;

  private final ConfigBinder<OrdersConfig> binder =
      ConfigBinder.of(OrdersConfig.class, OrdersConfig.DEFAULTS);
  private final List<AutoCloseable> closing = new ArrayList<>();
  private RtdsTestServer rtds;

  @BeforeEach
  void startServer() throws Exception {
    rtds = RtdsTestServer.start();
    closing.add(rtds);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : closing.reversed()) {
      closeable.close();
    }
  }

  @Test
  void bindsTheFirstDocumentAcksItAndCachesIt() throws Exception {
    String text = rtds.publish(7, values(5_000), SOURCES);

    ConfigFeed<OrdersConfig> feed = start(Duration.ofSeconds(30));

    assertThat(feed.origin()).isEqualTo(ConfigOrigin.CONTROL_PLANE);
    assertThat(feed.revision()).isEqualTo(7);
    OrdersConfig config = feed.config().get();
    assertThat(config.maxOrderQuantity()).isEqualTo(5_000);
    assertThat(config.maxOrderNotional()).isEqualTo(new BigDecimal("5000000.00"));
    assertThat(config.apiKey().reference()).isEqualTo("env:ORDERS_API_KEY");
    assertThat(feed.config().source("maxOrderQuantity")).isEqualTo("Config/orders-prod");
    assertThat(feed.config().source("quoteTimeout")).isEqualTo(ServiceConfig.DEFAULT_SOURCE);
    assertThat(feed.connected()).isTrue();

    DiscoveryRequest subscribe = rtds.requests().getFirst();
    assertThat(subscribe.getResourceNamesList()).containsExactly("firemesh.config");
    assertThat(subscribe.getTypeUrl()).isEqualTo(ConfigFeed.TYPE_URL);
    assertThat(subscribe.getNode().getId()).isEqualTo("orders-1");
    assertThat(subscribe.getNode().getCluster()).isEqualTo("orders");
    await().until(() -> !rtds.answers().isEmpty());
    DiscoveryRequest ack = rtds.answers().getFirst();
    assertThat(ack.hasErrorDetail()).isFalse();
    assertThat(ack.getVersionInfo()).isEqualTo(ConfigDocument.digest(text));
    assertThat(Files.readString(cacheDirectory.resolve("orders.config.json"))).isEqualTo(text);
  }

  @Test
  void aChangeFiresEachListenerOnceWithOldAndNew() throws Exception {
    rtds.publish(7, values(5_000), SOURCES);
    ConfigFeed<OrdersConfig> feed = start(Duration.ofSeconds(30));
    List<String> first = new CopyOnWriteArrayList<>();
    List<String> second = new CopyOnWriteArrayList<>();
    feed.config()
        .onChange(
            (old, now, revision) ->
                first.add(old.maxOrderQuantity() + ">" + now.maxOrderQuantity() + "@" + revision));
    feed.config()
        .onChange(
            (old, now, revision) ->
                second.add(old.maxOrderQuantity() + ">" + now.maxOrderQuantity() + "@" + revision));

    rtds.publish(8, values(6_000), SOURCES);
    rtds.publish(9, values(7_000), SOURCES);

    await().until(() -> first.size() >= 2 && second.size() >= 2);
    assertThat(first).containsExactly("5000>6000@8", "6000>7000@9");
    assertThat(second).containsExactly("5000>6000@8", "6000>7000@9");
    assertThat(feed.config().get().maxOrderQuantity()).isEqualTo(7_000);
    assertThat(feed.appliedCount()).isEqualTo(3);
  }

  @Test
  void aDocumentThatDoesNotBindIsNackedAndTheValueStays() throws Exception {
    String good = rtds.publish(7, values(5_000), SOURCES);
    ConfigFeed<OrdersConfig> feed = start(Duration.ofSeconds(30));
    List<Long> heard = new CopyOnWriteArrayList<>();
    feed.config().onChange((old, now, revision) -> heard.add(revision));

    rtds.publish(8, values(0), SOURCES);

    await().until(() -> rtds.nacks().size() == 1);
    DiscoveryRequest nack = rtds.nacks().getFirst();
    assertThat(nack.getErrorDetail().getMessage())
        .isEqualTo("maxOrderQuantity: 0 is below the minimum 1");
    assertThat(nack.getVersionInfo())
        .as("the version still in force")
        .isEqualTo(ConfigDocument.digest(good));
    assertThat(feed.revision()).isEqualTo(7);
    assertThat(feed.config().get().maxOrderQuantity()).isEqualTo(5_000);
    assertThat(feed.nackCount()).isEqualTo(1);

    // A document whose digest does not cover it is refused as well.
    String text = rtds.publish(9, values(6_000), SOURCES);
    await().until(() -> feed.revision() == 9);
    rtds.publishText(
        10, text.replace("6000", "9000").replace(":9,", ":10,"), ConfigDocument.digest(text));
    await().until(() -> rtds.nacks().size() == 2);
    assertThat(rtds.nacks().get(1).getErrorDetail().getMessage()).contains("SHA-256");
    assertThat(feed.config().get().maxOrderQuantity()).isEqualTo(6_000);
    assertThat(Files.readString(cacheDirectory.resolve("orders.config.json")))
        .as("the cache keeps the last good document")
        .isEqualTo(text);
    await().until(() -> heard.size() == 1);
    assertThat(heard).as("refused documents are never told").containsExactly(9L);
  }

  @Test
  void keepsTheValueWhileTheControlPlaneIsAwayAndCatchesUpWhenItReturns() throws Exception {
    String digestOf7 = ConfigDocument.digest(rtds.publish(7, values(5_000), SOURCES));
    ConfigFeed<OrdersConfig> feed = start(Duration.ofSeconds(30));
    List<Long> heard = new CopyOnWriteArrayList<>();
    feed.config().onChange((old, now, revision) -> heard.add(revision));

    rtds.stop();
    await().until(() -> !feed.connected());
    assertThat(feed.config().get().maxOrderQuantity()).isEqualTo(5_000);
    assertThat(feed.revision()).isEqualTo(7);

    rtds.publish(8, values(8_000), SOURCES);
    rtds.restart();

    await().until(() -> feed.revision() == 8);
    assertThat(feed.config().get().maxOrderQuantity()).isEqualTo(8_000);
    assertThat(feed.connected()).isTrue();
    assertThat(rtds.requests().stream().filter(r -> r.getResponseNonce().isEmpty()).toList())
        .as("each new stream subscribes again, naming the version in force")
        .hasSizeGreaterThanOrEqualTo(2)
        .last()
        .satisfies(r -> assertThat(r.getVersionInfo()).isEqualTo(digestOf7));
    await().until(() -> heard.size() == 1);
    assertThat(heard).containsExactly(8L);
  }

  @Test
  void startsFromTheCacheWhenTheControlPlaneIsAbsentAndFollowsItWhenItComes() throws Exception {
    rtds.publish(7, values(5_000), SOURCES);
    start(Duration.ofSeconds(30)).close();
    rtds.stop();

    ConfigFeed<OrdersConfig> feed = start(Duration.ofMillis(500));

    assertThat(feed.origin()).isEqualTo(ConfigOrigin.CACHE);
    assertThat(feed.revision()).isEqualTo(7);
    assertThat(feed.config().get().maxOrderQuantity()).isEqualTo(5_000);
    assertThat(feed.config().source("maxOrderQuantity")).isEqualTo("Config/orders-prod");
    assertThat(feed.connected()).isFalse();

    rtds.publish(8, values(8_000), SOURCES);
    rtds.restart();
    await().until(() -> feed.revision() == 8);
    assertThat(feed.origin()).isEqualTo(ConfigOrigin.CONTROL_PLANE);
  }

  @Test
  void failsToStartSayingWhatItTriedWhenThereIsNeitherControlPlaneNorCache() throws Exception {
    rtds.stop();

    assertThatThrownBy(() -> start(Duration.ofMillis(300)))
        .isInstanceOf(ConfigUnavailableException.class)
        .hasMessageContaining("the control plane at 127.0.0.1:" + rtds.port())
        .hasMessageContaining(
            "there is no cached copy at " + cacheDirectory.resolve("orders.config.json"));
  }

  @Test
  void failsToStartSayingWhyWhenTheOnlyDocumentDoesNotBind() {
    rtds.publish(7, values(0), SOURCES);

    assertThatThrownBy(() -> start(Duration.ofMillis(500)))
        .isInstanceOf(ConfigUnavailableException.class)
        .hasMessageContaining(
            "refused the control plane's document: maxOrderQuantity: 0 is below the minimum 1")
        .hasMessageContaining("there is no cached copy");
    assertThat(rtds.nacks()).isNotEmpty();
  }

  @Test
  void failsToStartWhenTheCachedCopyNoLongerBinds() throws Exception {
    rtds.stop();
    Files.writeString(
        cacheDirectory.resolve("orders.config.json"),
        "{\"service\":\"orders\",\"environment\":\"prod\",\"region\":\"\",\"instance\":\"\","
            + "\"revision\":3,\"values\":{\"maxOrderQuantity\":\"many\"},\"sources\":{}}");

    assertThatThrownBy(() -> start(Duration.ofMillis(300)))
        .isInstanceOf(ConfigUnavailableException.class)
        .hasMessageContaining("cannot be used")
        .hasMessageContaining("maxOrderQuantity: expected a whole number");
  }

  private ConfigFeed<OrdersConfig> start(Duration timeout) {
    ConfigFeed<OrdersConfig> feed =
        ConfigFeed.builder(binder)
            .server("127.0.0.1", rtds.port())
            .node(new NodeIdentity("orders-1", "orders", "eu-west", "a"))
            .environment("prod")
            .cacheDirectory(cacheDirectory)
            .startTimeout(timeout)
            .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
            .start();
    closing.add(feed);
    return feed;
  }

  private static String values(long quantity) {
    return "{\"maxOrderQuantity\":"
        + quantity
        + ",\"maxOrderNotional\":5000000.00,\"apiKey\":\"env:ORDERS_API_KEY\"}";
  }
}
