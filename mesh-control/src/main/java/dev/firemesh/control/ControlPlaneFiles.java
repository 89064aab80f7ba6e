package dev.firemesh.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The files a control plane keeps in its data directory, which the CLI reads to find it: the admin
 * token ({@code admin.token}, mode 0600), the addresses it listens on ({@code control.json},
 * present while it runs) and the mesh's trust bundle ({@code trust-bundle.pem}, public), which the
 * CLI trusts for the admin API's HTTPS.
 */
public final class ControlPlaneFiles {
  public static final String TOKEN = "admin.token";
  public static final String ADDRESSES = "control.json";
  public static final String TRUST_BUNDLE = "trust-bundle.pem";
  public static final int DEFAULT_ADMIN_PORT = 7070;
  public static final int DEFAULT_XDS_PORT = 18000;

  private ControlPlaneFiles() {}

  /** Created on first use: a sidecar reads the token through this class and never needs JSON. */
  private static final class Json {
    static final ObjectMapper MAPPER =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  public static String readToken(Path file) throws IOException {
    String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (value.isEmpty()) {
      throw new IOException("the token file is empty");
    }
    return value;
  }

  /** Writes trust-bundle.pem atomically (readable by all: roots are public). */
  public static void writeTrustBundle(Path dataDir, String pem) throws IOException {
    Path tmp = dataDir.resolve(TRUST_BUNDLE + ".tmp");
    Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
    Files.move(
        tmp,
        dataDir.resolve(TRUST_BUNDLE),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Writes control.json atomically, so a CLI never reads half of it.
   *
   * @param addresses {@code admin} (URL), {@code xds} (host:port), {@code pid}, {@code store}
   */
  public static void writeAddresses(Path dataDir, Map<String, Object> addresses)
      throws IOException {
    Path tmp = dataDir.resolve(ADDRESSES + ".tmp");
    Json.MAPPER.writeValue(tmp.toFile(), addresses);
    Files.move(
        tmp,
        dataDir.resolve(ADDRESSES),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Removes control.json if it still names process {@code pid}: a control plane that started later
   * on the same directory owns the file now, and keeps it.
   *
   * @return whether the file was removed
   */
  public static boolean removeAddresses(Path dataDir, long pid) throws IOException {
    Path file = dataDir.resolve(ADDRESSES);
    JsonNode addresses;
    try {
      addresses = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return false;
    } catch (JsonProcessingException e) {
      return false; // not a file we wrote (ours are written atomically)
    }
    if (addresses == null || addresses.path("pid").asLong(-1) != pid) {
      return false;
    }
    return Files.deleteIfExists(file);
  }
}
