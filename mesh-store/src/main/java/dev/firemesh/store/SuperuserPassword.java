package dev.firemesh.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password of the embedded server's {@code postgres} superuser: 32 random bytes, base64url,
 * kept in {@code <dataDir>/pg-password} readable by its owner only. Whoever can read that file (or
 * write the data directory) can have the database; nobody else can. Never shown by {@link
 * #toString()}, never logged.
 */
final class SuperuserPassword {
  private static final Logger log = LoggerFactory.getLogger(SuperuserPassword.class);

  static final String FILE_NAME = "pg-password";
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private static final int RANDOM_BYTES = 32;
  private static final int SCRAM_ITERATIONS = 4096; // PostgreSQL's default scram_iterations
  private static final int SCRAM_SALT_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String value;
  private final boolean created;

  private SuperuserPassword(String value, boolean created) {
    this.value = value;
    this.created = created;
  }

  /**
   * Reads {@code <dataDir>/pg-password}, or creates it with a new random password if it is absent.
   * Two processes racing to create it agree on one password: the file appears whole or not at all,
   * and only the first one to appear counts.
   */
  static SuperuserPassword loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      String fresh =
          Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(RANDOM_BYTES));
      if (create(file, fresh)) {
        return new SuperuserPassword(fresh, true);
      }
    }
    return new SuperuserPassword(read(file), false);
  }

  /** The password itself, for the JDBC driver only. */
  String value() {
    return value;
  }

  /**
   * True if this start created the password, so the server does not know it yet; whoever gets it
   * this way must set it before anyone connects.
   */
  boolean created() {
    return created;
  }

  /**
   * A SCRAM-SHA-256 verifier of the password in PostgreSQL's {@code rolpassword} format (RFC 5802
   * and 7677), with a fresh salt. Handing PostgreSQL the verifier rather than the password keeps
   * the password itself out of the server's reach, its logs included.
   */
  String scramVerifier() {
    byte[] salt = randomBytes(SCRAM_SALT_BYTES);
    try {
      // The password is base64url, so SASLprep would leave it as it is.
      byte[] salted =
          SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
              .generateSecret(new PBEKeySpec(value.toCharArray(), salt, SCRAM_ITERATIONS, 256))
              .getEncoded();
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
      byte[] serverKey = hmac(salted, "Server Key");
      Base64.Encoder b64 = Base64.getEncoder();
      return "SCRAM-SHA-256$"
          + SCRAM_ITERATIONS
          + ":"
          + b64.encodeToString(salt)
          + "$"
          + b64.encodeToString(storedKey)
          + ":"
          + b64.encodeToString(serverKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK lacks PBKDF2WithHmacSHA256 or HmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return "SuperuserPassword[***]";
  }

  /** Creates {@code file} holding {@code password}, unless it exists; true if this call made it. */
  private static boolean create(Path file, String password) {
    Path dir = file.getParent();
    Path draft = null;
    try {
      // Born 0600 (umask can only take bits away), filled and synced before it gets its name, so
      // nobody ever reads a partial or readable-by-others file.
      draft =
          Files.createTempFile(
              dir, "." + FILE_NAME + "-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.setPosixFilePermissions(draft, OWNER_ONLY);
      try (FileChannel channel = FileChannel.open(draft, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(password.getBytes(StandardCharsets.US_ASCII)));
        channel.force(true);
      }
      try {
        Files.createLink(file, draft); // link(2) fails if the name exists: first creator wins
      } catch (FileAlreadyExistsException e) {
        return false;
      }
      syncDirectory(dir);
      log.info("created {} (mode 0600) for the embedded PostgreSQL superuser", file);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      throw new StoreException("cannot create " + file + ": " + e.getMessage(), e);
    } finally {
      if (draft != null) {
        try {
          Files.deleteIfExists(draft);
        } catch (IOException e) {
          log.warn("cannot remove {}: {}", draft, e.toString());
        }
      }
    }
  }

  private static String read(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(permissions)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        log.warn(
            "{} was {}; restricted it to rw------- (consider it exposed if others could read it)",
            file,
            PosixFilePermissions.toString(permissions));
      }
      String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (password.isEmpty()) {
        throw new StoreException(
            file
                + " is empty; delete it and the next start sets a new superuser password for the"
                + " embedded PostgreSQL");
      }
      return password;
    } catch (NoSuchFileException e) {
      throw new StoreException(file + " vanished while being read", e);
    } catch (IOException | UnsupportedOperationException e) {
      throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true); // makes the new name durable (Linux allows fsync on a directory)
    }
  }

  private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
