package dev.firemesh.chassis.config;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.xds.client.Backoff;
import dev.firemesh.xds.client.DiscoverySession;
import dev.firemesh.xds.client.DiscoveryStream;
import dev.firemesh.xds.client.XdsConnection;
import dev.firemesh.xds.client.XdsNodes;
import dev.firemesh.xds.translate.NodeIdentity;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.runtime.v3.Runtime;
import io.envoyproxy.envoy.service.runtime.v3.RuntimeDiscoveryServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's configuration feed: one RTDS stream ({@code StreamRuntime}, state of the world) to
 * the control plane's xDS port, subscribed to the resource {@value #RESOURCE_NAME}. Each document
 * it brings is checked (its digest), bound to the service's record and put in force; the feed ACKs
 * it with its digest as the version. A document that does not bind is NACKed with the binding error
 * (every problem with its path) and the value in force stays.
 *
 * <pre>{@code
 * ConfigFeed<OrdersConfig> feed =
 *     ConfigFeed.builder(ConfigBinder.of(OrdersConfig.class, OrdersConfig.DEFAULTS))
 *         .server("127.0.0.1", 15010)
 *         .node(new NodeIdentity("orders-7f3c", "orders", "eu-west", "a"))
 *         .tls(workloadSslContext)
 *         .cacheDirectory(Path.of("/var/lib/orders/config"))
 *         .start();
 * ServiceConfig<OrdersConfig> config = feed.config();
 * }</pre>
 *
 * <p><b>Start.</b> {@link Builder#start()} waits for the first document the service can bind, up to
 * {@link Builder#startTimeout}. Without one in time it starts from the cached copy of the last good
 * document ({@link ConfigOrigin#CACHE}, logged) and goes on trying the control plane; without a
 * usable cache it fails, saying what it tried.
 *
 * <p><b>Fail static.</b> When the stream fails, the feed reconnects with exponential back-off and
 * jitter, and the value in force stays. On a new stream the control plane sends the document again;
 * an unchanged one (same digest) is ACKed and changes nothing.
 *
 * <p><b>Threads.</b> One I/O thread (Netty) and one protocol thread that decodes, binds, swaps and
 * writes the cache, in order. Listeners run on the {@link ServiceConfig}'s dispatcher.
 */
public final class ConfigFeed<T extends Record> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigFeed.class);

  /** The one RTDS resource a service asks for. */
  public static final String RESOURCE_NAME = "firemesh.config";

  static final String TYPE_URL = "type.googleapis.com/envoy.service.runtime.v3.Runtime";

  /** google.rpc.Code.INVALID_ARGUMENT, the code of a NACK's error detail. */
  private static final int INVALID_ARGUMENT = 3;

  private final String server;
  private final String service;
  private final String environment;
  private final Node node;
  private final ConfigBinder<T> binder;
  private final Optional<ConfigCache> cache;
  private final Clock clock;
  private final DiscoverySession session;
  private final ScheduledExecutorService protocol;
  private final CountDownLatch firstFromControlPlane = new CountDownLatch(1);
  private final AtomicLong nacks = new AtomicLong();

  // Owned by the protocol thread.
  /** The version_info of the last document ACKed, which a NACK repeats. */
  private String ackedVersion = "";

  private volatile ServiceConfig<T> config;
  private volatile boolean connected;
  private volatile String lastFailure = "no answer yet";

  private ConfigFeed(Builder<T> builder) {
    this.server = builder.host + ":" + builder.port;
    this.service = builder.node.cluster();
    this.environment = builder.environment;
    this.node = XdsNodes.node(builder.node, "firemesh-chassis");
    this.binder = builder.binder;
    this.cache =
        Optional.ofNullable(builder.cacheDirectory).map(dir -> new ConfigCache(dir, service));
    this.clock = builder.clock;
    XdsConnection.Builder connection =
        XdsConnection.to(builder.host, builder.port)
            .protocolThread("firemesh-config-feed-" + builder.node.id())
            .ioThread("firemesh-config-io-" + builder.node.id())
            .userAgent("firemesh-chassis");
    if (builder.tls != null) {
      connection.tls(builder.tls);
    }
    XdsConnection open = connection.open();
    this.protocol = open.protocol();
    this.session =
        new DiscoverySession(
            open, new Backoff(builder.initialBackoff, builder.maxBackoff), new Protocol());
  }

  public static <T extends Record> Builder<T> builder(ConfigBinder<T> binder) {
    return new Builder<>(binder);
  }

  /** The live configuration; in force from the moment {@link Builder#start()} returned. */
  public ServiceConfig<T> config() {
    return config;
  }

  /** Where the value in force came from. */
  public ConfigOrigin origin() {
    return config.origin();
  }

  // Metrics: plain reads, safe from any thread.

  /** The revision of the value in force. */
  public long revision() {
    return config.revision();
  }

  /** Revisions put in force since start, the first included. */
  public long appliedCount() {
    return config.appliedCount();
  }

  /** Documents refused (NACKed) since start. */
  public long nackCount() {
    return nacks.get();
  }

  /** Whether a stream to the control plane is up and has answered. */
  public boolean connected() {
    return connected;
  }

  /** When the value in force was put in force. */
  public Instant lastUpdate() {
    return config.lastUpdate();
  }

  /** Ends the stream and stops the feed's threads; the value in force stays readable. */
  @Override
  public void close() {
    try {
      session.close();
    } finally {
      ServiceConfig<T> live = config;
      if (live != null) {
        live.close();
      }
    }
  }

  /** Connects, waits for the first document, falls back to the cache; see the class comment. */
  private void start(Duration timeout) {
    session.start();
    try {
      if (firstFromControlPlane.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return;
      }
      // On the protocol thread, so that a document arriving now cannot interleave with the cache.
      protocol.submit(() -> startFromCache(timeout)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new ConfigUnavailableException("interrupted while waiting for the configuration");
    } catch (ExecutionException e) {
      close();
      if (e.getCause() instanceof ConfigUnavailableException unavailable) {
        throw unavailable;
      }
      throw new IllegalStateException("starting the config feed failed", e.getCause());
    }
  }

  private void startFromCache(Duration timeout) {
    if (config != null) {
      return; // the control plane answered after all
    }
    String why =
        "the control plane at "
            + server
            + " gave no configuration for "
            + service
            + " within "
            + timeout.toMillis()
            + " ms (last: "
            + lastFailure
            + ")";
    if (cache.isEmpty()) {
      throw new ConfigUnavailableException(
          "no configuration to start with: " + why + ", and no cache directory is configured");
    }
    Path file = cache.get().file();
    Optional<String> text;
    try {
      text = cache.get().read();
    } catch (IOException e) {
      throw new ConfigUnavailableException(
          "no configuration to start with: "
              + why
              + ", and the cached copy at "
              + file
              + " cannot be read: "
              + e,
          e);
    }
    if (text.isEmpty()) {
      throw new ConfigUnavailableException(
          "no configuration to start with: " + why + ", and there is no cached copy at " + file);
    }
    try {
      ConfigDocument document = ConfigDocument.parse(text.get());
      checkAddressedToUs(document);
      T value = binder.bind(document.values());
      put(document, value, ConfigOrigin.CACHE);
      LOG.warn(
          "config started from the cache: {}; file={} revision={} (the stream keeps trying)",
          why,
          file,
          document.revision());
    } catch (InvalidConfigDocumentException | ConfigBindingException e) {
      throw new ConfigUnavailableException(
          "no configuration to start with: "
              + why
              + ", and the cached copy at "
              + file
              + " cannot be used: "
              + e.getMessage(),
          e);
    }
  }

  /** The RTDS protocol on the session's stream; runs on the protocol thread. */
  private final class Protocol implements DiscoverySession.Client {
    /** Asks for the config, saying which one is in force. */
    @Override
    public void open(ManagedChannel channel, DiscoveryStream stream) {
      RuntimeDiscoveryServiceGrpc.newStub(channel).streamRuntime(stream);
      stream.send(request(currentDigest(), "").toBuilder().setNode(node).build());
    }

    @Override
    public void established(boolean again) {
      connected = true;
      LOG.info("config stream {} server={}", again ? "re-established" : "established", server);
    }

    @Override
    public void onResponse(DiscoveryStream from, DiscoveryResponse response) {
      ConfigFeed.this.onResponse(from, response);
    }

    @Override
    public void lost(Status cause, boolean answered, Duration retryIn) {
      connected = false;
      lastFailure = describe(cause);
      if (answered) {
        LOG.warn(
            "config stream lost server={} status={} keeping revision={} retryIn={}ms",
            server,
            lastFailure,
            config == null ? "none" : config.revision(),
            retryIn.toMillis());
      } else {
        LOG.debug(
            "config stream failed server={} status={} retryIn={}ms",
            server,
            lastFailure,
            retryIn.toMillis());
      }
    }

    @Override
    public void closed() {
      connected = false;
    }
  }

  private void onResponse(DiscoveryStream from, DiscoveryResponse response) {
    try {
      Optional<ConfigDocument> document = decode(response);
      if (document.isEmpty()) {
        LOG.warn("the control plane sent no {} resource; the config in force stays", RESOURCE_NAME);
      } else {
        applyFromControlPlane(document.get());
      }
      from.send(request(response.getVersionInfo(), response.getNonce()));
    } catch (Refusal refusal) {
      nacks.incrementAndGet();
      lastFailure = "refused the control plane's document: " + refusal.getMessage();
      LOG.warn(
          "config NACK server={} version={} keeping revision={} reason={}",
          server,
          response.getVersionInfo(),
          config == null ? "none" : config.revision(),
          refusal.getMessage());
      from.send(
          // A NACK carries the version still in force, as xDS clients do.
          request(currentDigest(), response.getNonce()).toBuilder()
              .setErrorDetail(
                  com.google.rpc.Status.newBuilder()
                      .setCode(INVALID_ARGUMENT)
                      .setMessage(refusal.getMessage())
                      .build())
              .build());
    }
  }

  private Optional<ConfigDocument> decode(DiscoveryResponse response) throws Refusal {
    if (!response.getTypeUrl().equals(TYPE_URL)) {
      throw new Refusal(
          "expected resources of type " + TYPE_URL + ", got " + response.getTypeUrl());
    }
    Runtime runtime = null;
    for (Any resource : response.getResourcesList()) {
      try {
        Runtime candidate = resource.unpack(Runtime.class);
        if (candidate.getName().equals(RESOURCE_NAME)) {
          runtime = candidate;
        }
      } catch (InvalidProtocolBufferException e) {
        throw new Refusal(
            "a resource is not an envoy.service.runtime.v3.Runtime: " + e.getMessage());
      }
    }
    if (runtime == null) {
      return Optional.empty();
    }
    Struct layer = runtime.getLayer();
    String text = stringField(layer, "document");
    String digest = stringField(layer, "digest");
    Value revision = layer.getFieldsOrDefault("revision", Value.getDefaultInstance());
    if (!revision.hasNumberValue()) {
      throw new Refusal("the layer's revision is missing or not a number");
    }
    ConfigDocument document;
    try {
      document = ConfigDocument.parse(text);
    } catch (InvalidConfigDocumentException e) {
      throw new Refusal(e.getMessage());
    }
    if (!digestMatches(digest, document.digest())) {
      throw new Refusal(
          "the document's SHA-256 is " + document.digest() + ", the layer says " + digest);
    }
    if (document.revision() != (long) revision.getNumberValue()) {
      throw new Refusal(
          "the document's revision "
              + document.revision()
              + " is not the layer's "
              + (long) revision.getNumberValue());
    }
    try {
      checkAddressedToUs(document);
    } catch (InvalidConfigDocumentException e) {
      throw new Refusal(e.getMessage());
    }
    return Optional.of(document);
  }

  private void applyFromControlPlane(ConfigDocument document) throws Refusal {
    ServiceConfig<T> live = config;
    if (live != null
        && live.current().digest().equals(document.digest())
        && live.origin() == ConfigOrigin.CONTROL_PLANE) {
      return; // the same document again, on a new stream
    }
    T value;
    try {
      value = binder.bind(document.values());
    } catch (ConfigBindingException e) {
      throw new Refusal(e.getMessage());
    }
    put(document, value, ConfigOrigin.CONTROL_PLANE);
    cache.ifPresent(
        file -> {
          try {
            file.write(document.text());
          } catch (IOException e) {
            LOG.warn(
                "config cache not written file={} revision={}",
                file.file(),
                document.revision(),
                e);
          }
        });
    firstFromControlPlane.countDown();
  }

  /** Puts {@code value} in force; the first value creates the live handle. */
  private void put(ConfigDocument document, T value, ConfigOrigin origin) {
    ServiceConfig<T> live = config;
    if (live == null) {
      config =
          new ServiceConfig<>(
              binder,
              new ConfigRevision<>(
                  document.revision(),
                  value,
                  document.sources(),
                  origin,
                  document.digest(),
                  clock.instant()),
              clock);
      LOG.info("config in force revision={} origin={}", document.revision(), origin);
      return;
    }
    long previous = live.revision();
    boolean changed =
        live.apply(document.revision(), value, document.sources(), origin, document.digest());
    if (document.revision() < previous) {
      LOG.warn("config revision went back from {} to {}", previous, document.revision());
    }
    LOG.info(
        "config in force revision={} origin={} changed={}", document.revision(), origin, changed);
  }

  private void checkAddressedToUs(ConfigDocument document) {
    if (!document.service().equals(service)) {
      throw new InvalidConfigDocumentException(
          "the document is for the service " + document.service() + ", this is " + service);
    }
    if (!environment.isEmpty() && !document.environment().equals(environment)) {
      throw new InvalidConfigDocumentException(
          "the document is for the environment "
              + document.environment()
              + ", this service runs in "
              + environment);
    }
  }

  private String currentDigest() {
    ServiceConfig<T> live = config;
    return live == null ? "" : live.current().digest();
  }

  private static DiscoveryRequest request(String version, String nonce) {
    return DiscoveryRequest.newBuilder()
        .setTypeUrl(TYPE_URL)
        .addResourceNames(RESOURCE_NAME)
        .setVersionInfo(version)
        .setResponseNonce(nonce)
        .build();
  }

  /**
   * The contract says "SHA-256 of the document"; a full lower-case hex digest is expected, and the
   * 16-character prefix the xDS server uses for its content versions is accepted too.
   */
  private static boolean digestMatches(String claimed, String actual) {
    String hex = claimed.startsWith("sha256:") ? claimed.substring(7) : claimed;
    return hex.length() >= 16 && actual.startsWith(hex.toLowerCase(java.util.Locale.ROOT));
  }

  private static String stringField(Struct layer, String name) throws Refusal {
    Value value = layer.getFieldsOrDefault(name, Value.getDefaultInstance());
    if (!value.hasStringValue()) {
      throw new Refusal("the layer's " + name + " is missing or not a string");
    }
    return value.getStringValue();
  }

  private static String describe(Status status) {
    return status.getCode()
        + (status.getDescription() == null ? "" : " " + status.getDescription());
  }

  /** A document the feed refuses; the message goes back in the NACK. */
  private static final class Refusal extends Exception {
    Refusal(String message) {
      super(message, null, false, false);
    }
  }

  /** Where the control plane is, who this service instance is, and where to cache. */
  public static final class Builder<T extends Record> {
    private final ConfigBinder<T> binder;
    private String host = "";
    private int port;
    private NodeIdentity node = NodeIdentity.of("");
    private String environment = "";
    private SSLContext tls;
    private Path cacheDirectory;
    private Duration startTimeout = Duration.ofSeconds(10);
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();

    private Builder(ConfigBinder<T> binder) {
      this.binder = Objects.requireNonNull(binder, "binder");
    }

    /** The control plane's xDS address. */
    public Builder<T> server(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
      return this;
    }

    /**
     * This instance as the control plane knows it: the node id, the service as its cluster (which
     * the SVID must name), the locality (the region layer of the config).
     */
    public Builder<T> node(NodeIdentity node) {
      this.node = Objects.requireNonNull(node, "node");
      return this;
    }

    /**
     * The environment the service runs in; a document (or cached copy) for another one is refused.
     * Unset, any is accepted (the control plane takes it from the SVID).
     */
    public Builder<T> environment(String environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Speaks TLS with {@code context}, whose key manager presents the workload's SVID and whose
     * trust manager checks the control plane's (both following renewals). Without it, plaintext
     * (tests).
     */
    public Builder<T> tls(SSLContext context) {
      this.tls = Objects.requireNonNull(context, "context");
      return this;
    }

    /** Where the last good document is kept, for a start without the control plane. */
    public Builder<T> cacheDirectory(Path directory) {
      this.cacheDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** How long {@link #start()} waits for the control plane before the cache (default 10 s). */
    public Builder<T> startTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("the start timeout is negative: " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    /** Reconnection back-off: the first delay and the cap (defaults 100 ms and 5 s). */
    public Builder<T> backoff(Duration initial, Duration max) {
      this.initialBackoff = Objects.requireNonNull(initial, "initial");
      this.maxBackoff = Objects.requireNonNull(max, "max");
      return this;
    }

    Builder<T> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Connects and returns once a configuration is in force: the control plane's, or the cached
     * copy's after the start timeout.
     *
     * @throws ConfigUnavailableException when neither could be had; the message says why for each
     */
    public ConfigFeed<T> start() {
      if (host.isEmpty() || port < 1 || port > 65535) {
        throw new IllegalStateException(
            "the control plane's address is not set: server(host, port)");
      }
      if (node.id().isEmpty() || node.cluster().isEmpty()) {
        throw new IllegalStateException(
            "the node is not set: node(new NodeIdentity(id, service, region, zone))");
      }
      ConfigFeed<T> feed = new ConfigFeed<>(this);
      feed.start(startTimeout);
      return feed;
    }
  }
}
