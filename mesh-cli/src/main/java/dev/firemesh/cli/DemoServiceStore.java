package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's store for its chassis services: one embedded PostgreSQL under {@code
 * <dataDir>/service-store} holding a database per service, as production gives each service a
 * database of its own that all its instances share (two risk instances coordinate their scheduled
 * tasks in it). The services get their URL as {@code FIREMESH_STORE_URL}; the URLs, which name the
 * password file instead of carrying the password, are also written to {@code
 * <dataDir>/service-stores.json}, where {@code firemesh events} and {@code firemesh tasks} find
 * them.
 */
final class DemoServiceStore implements AutoCloseable {
  static final String FILE = "service-stores.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database server;
  private final Map<String, String> urls;

  private DemoServiceStore(Database server, Map<String, String> urls) {
    this.server = server;
    this.urls = Map.copyOf(urls);
  }

  /** Starts the server (reclaiming one a killed demo left running) and makes the databases. */
  static DemoServiceStore start(Path dataDir, List<String> services) throws IOException {
    Path dir = dataDir.resolve("service-store");
    Database server = ChassisStore.embedded(dir);
    try {
      Map<String, String> urls = new LinkedHashMap<>();
      for (String service : services) {
        urls.put(service, server.ensureDatabase(databaseName(service)));
      }
      ObjectNode file = JSON.createObjectNode();
      urls.forEach(file::put);
      Path temporary = dataDir.resolve(FILE + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), file);
      Files.move(
          temporary,
          dataDir.resolve(FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return new DemoServiceStore(server, urls);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The URL of {@code service}'s database, if the demo gave it one. */
  Optional<String> url(String service) {
    return Optional.ofNullable(urls.get(service));
  }

  /**
   * The URL the demo under {@code dataDir} gave {@code service}, from {@code service-stores.json}.
   */
  static Optional<String> lookup(Path dataDir, String service) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    JsonNode urls = JSON.readTree(file.toFile());
    JsonNode url = urls.path(service);
    return url.isTextual() ? Optional.of(url.asText()) : Optional.empty();
  }

  /** {@code reference-data} becomes {@code reference_data}: a database name is an identifier. */
  static String databaseName(String service) {
    return service.replace('-', '_');
  }

  @Override
  public void close() {
    server.close();
  }
}
