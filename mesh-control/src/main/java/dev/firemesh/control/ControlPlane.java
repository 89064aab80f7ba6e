package dev.firemesh.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.control.admin.AdminApi;
import dev.firemesh.control.admin.AdminServer;
import dev.firemesh.control.admin.AdminToken;
import dev.firemesh.control.catalog.ResourceCatalog;
import dev.firemesh.control.discovery.LeaseSweeper;
import dev.firemesh.control.discovery.MeshPublisher;
import dev.firemesh.store.ChangeFeed;
import dev.firemesh.store.Database;
import dev.firemesh.store.registry.Registry;
import dev.firemesh.store.resource.ResourceStore;
import dev.firemesh.xds.server.XdsServer;
import dev.firemesh.xds.translate.MeshState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane process: the store (embedded or external PostgreSQL), the registry, the xDS
 * server kept in step with both, and the admin API. Start with {@link #start(Options)}; close to
 * stop everything in reverse order.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
  public static final String VERSION =
      Optional.ofNullable(ControlPlane.class.getPackage().getImplementationVersion())
          .orElse("0.1.0-SNAPSHOT");

  /**
   * How to run.
   *
   * @param dataDir holds the admin token, control.json and, unless {@code storeUrl} is set, the
   *     embedded PostgreSQL's data
   * @param storeUrl an external PostgreSQL ({@code postgresql://user:pass@host:port/db}), or empty
   *     for the embedded one
   */
  public record Options(
      Path dataDir,
      Optional<String> storeUrl,
      InetSocketAddress adminAddress,
      InetSocketAddress xdsAddress,
      Duration sweepInterval) {
    public static Options defaults(Path dataDir) {
      return new Options(
          dataDir,
          Optional.empty(),
          new InetSocketAddress("127.0.0.1", ControlPlaneFiles.DEFAULT_ADMIN_PORT),
          new InetSocketAddress("127.0.0.1", ControlPlaneFiles.DEFAULT_XDS_PORT),
          Duration.ofMillis(500));
    }

    public Options withPorts(int adminPort, int xdsPort) {
      return new Options(
          dataDir,
          storeUrl,
          new InetSocketAddress(adminAddress.getHostString(), adminPort),
          new InetSocketAddress(xdsAddress.getHostString(), xdsPort),
          sweepInterval);
    }

    public Options withStore(Optional<String> url) {
      return new Options(dataDir, url, adminAddress, xdsAddress, sweepInterval);
    }
  }

  private final List<AutoCloseable> parts = new ArrayList<>();
  private Database database;
  private ResourceCatalog catalog;
  private Registry registry;
  private XdsServer xds;
  private MeshPublisher publisher;
  private AdminServer admin;
  private AdminToken token;
  private Path dataDir;

  private ControlPlane() {}

  public static ControlPlane start(Options options) {
    ControlPlane plane = new ControlPlane();
    try {
      plane.startParts(options);
      return plane;
    } catch (RuntimeException | IOException e) {
      plane.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  private void startParts(Options options) throws IOException {
    dataDir = options.dataDir();
    Files.createDirectories(dataDir);
    token = AdminToken.loadOrCreate(dataDir);
    database =
        options.storeUrl().map(Database::external).orElseGet(() -> Database.embedded(dataDir));
    parts.add(database);
    catalog = new ResourceCatalog(new ResourceStore(database));
    registry = new Registry(database);

    xds = XdsServer.start(options.xdsAddress());
    parts.add(xds);
    publisher = new MeshPublisher(this::meshState, xds);
    parts.add(publisher);
    parts.add(ChangeFeed.start(database, event -> publisher.requestReload()));
    parts.add(new LeaseSweeper(registry, options.sweepInterval()));

    admin = new AdminServer(token);
    new AdminApi(
            catalog, registry, xds::nodes, publisher::servingRevision, database.describe(), VERSION)
        .registerOn(admin);
    admin.start(options.adminAddress());
    parts.add(admin);
    writeAddresses();
    log.info(
        "control plane up: admin http://{}:{}, xDS {}:{}, store {}",
        options.adminAddress().getHostString(),
        admin.port(),
        options.xdsAddress().getHostString(),
        xds.port(),
        database.describe());
  }

  private MeshPublisher.Publication meshState() {
    long revision = catalog.head();
    List<ServiceInstance> instances =
        registry.instances().stream()
            .map(
                i ->
                    new ServiceInstance(
                        i.service(), i.instanceId(), i.address(), i.port(), i.labels()))
            .toList();
    return new MeshPublisher.Publication(
        revision, new MeshState(catalog.currentResources(), instances));
  }

  /** Writes control.json atomically so a CLI never reads half of it. */
  private void writeAddresses() throws IOException {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("admin", adminUrl());
    info.put("xds", "127.0.0.1:" + xds.port());
    info.put("pid", ProcessHandle.current().pid());
    info.put("store", database.describe());
    Path tmp = dataDir.resolve(ControlPlaneFiles.ADDRESSES + ".tmp");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), info);
    Files.move(
        tmp,
        dataDir.resolve(ControlPlaneFiles.ADDRESSES),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  public String adminUrl() {
    return "http://127.0.0.1:" + admin.port();
  }

  public int adminPort() {
    return admin.port();
  }

  public int xdsPort() {
    return xds.port();
  }

  public String adminToken() {
    return token.value();
  }

  public ResourceCatalog catalog() {
    return catalog;
  }

  public Registry registry() {
    return registry;
  }

  public String storeDescription() {
    return database.describe();
  }

  @Override
  public void close() {
    for (int i = parts.size() - 1; i >= 0; i--) {
      try {
        parts.get(i).close();
      } catch (Exception e) {
        log.warn("while stopping {}: {}", parts.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    parts.clear();
  }
}
