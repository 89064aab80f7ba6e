package dev.firemesh.control.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that seals CA private keys before they reach the database: AES-256-GCM, a fresh 12-byte
 * nonce per sealing, and the sealed key bound (as associated data) to its certificate's
 * fingerprint, so a ciphertext moved to another row does not open.
 *
 * <p>It lives in a file of exactly 32 bytes, readable by its owner only: {@code <data-dir>/ca.kek},
 * created at first start, or a file the operator supplies. Replicas sharing one PostgreSQL must
 * share the file. Its id (the first 8 bytes of its SHA-256, hex) is stored beside each ciphertext,
 * so opening with the wrong key fails naming both ids instead of as a bare tag mismatch.
 */
public final class KeyEncryptionKey {
  public static final String FILE_NAME = "ca.kek";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final String id;
  private final Path file;

  private KeyEncryptionKey(byte[] key, Path file) {
    this.key = new SecretKeySpec(key, "AES");
    this.id = idOf(key);
    this.file = file;
  }

  /** A key not kept in any file, for tests. */
  static KeyEncryptionKey of(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a key-encryption key is 32 bytes, got " + key.length);
    }
    return new KeyEncryptionKey(key.clone(), Path.of("(memory)"));
  }

  /** Reads {@code <dataDir>/ca.kek}, creating it (32 random bytes, mode 0600) if it is absent. */
  public static KeyEncryptionKey loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      create(file);
    }
    return load(file);
  }

  /**
   * Reads a key file.
   *
   * @throws IllegalStateException if the file is readable by group or others, or not 32 bytes
   */
  public static KeyEncryptionKey load(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      Set<PosixFilePermission> open =
          Set.of(
              PosixFilePermission.GROUP_READ,
              PosixFilePermission.GROUP_WRITE,
              PosixFilePermission.GROUP_EXECUTE,
              PosixFilePermission.OTHERS_READ,
              PosixFilePermission.OTHERS_WRITE,
              PosixFilePermission.OTHERS_EXECUTE);
      if (permissions.stream().anyMatch(open::contains)) {
        throw new IllegalStateException(
            "the CA key-encryption key "
                + file
                + " has mode "
                + mode(permissions)
                + ": group and others must have no access (chmod 600 "
                + file
                + ")");
      }
      byte[] key = Files.readAllBytes(file);
      if (key.length != KEY_BYTES) {
        throw new IllegalStateException(
            "the CA key-encryption key "
                + file
                + " holds "
                + key.length
                + " bytes; it must hold exactly 32 (raw, not encoded)");
      }
      return new KeyEncryptionKey(key, file);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the CA key-encryption key " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a fresh key to a private temporary file, then links it into place: the key is never in a
   * file anyone else could read, and a replica that raced us keeps the key it linked first.
   */
  private static void create(Path file) {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    Path tmp = null;
    try {
      tmp =
          Files.createTempFile(
              file.toAbsolutePath().getParent(),
              FILE_NAME,
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, key);
      try {
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException raced) {
        // Another replica sharing the directory created it first: use theirs.
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the CA key-encryption key " + file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(key, (byte) 0);
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // Left behind, it is still 0600; the next start does not read it.
        }
      }
    }
  }

  /** The key's id: the first 8 bytes of its SHA-256, hex. Not secret. */
  public String id() {
    return id;
  }

  public Path file() {
    return file;
  }

  /** {@code nonce || ciphertext || tag} of {@code plaintext}, bound to {@code boundTo}. */
  public byte[] seal(byte[] plaintext, byte[] boundTo) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(boundTo);
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * Opens what {@link #seal} made.
   *
   * @param sealedBy the id stored with the ciphertext
   * @throws IllegalStateException naming both ids if this is not the key that sealed it, or if the
   *     ciphertext was altered or moved
   */
  public byte[] open(byte[] sealed, String sealedBy, byte[] boundTo) {
    if (!sealedBy.equals(id)) {
      throw new IllegalStateException(
          "the CA key in the database was sealed with key-encryption key "
              + sealedBy
              + ", but "
              + file
              + " holds key "
              + id
              + "; start with the key file the other replicas use (--ca-kek-file)");
    }
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalStateException("a sealed CA key is too short: " + sealed.length + " bytes");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      cipher.updateAAD(boundTo);
      return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException(
          "a sealed CA key does not open with key-encryption key "
              + id
              + ": it was altered, or belongs to another certificate");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  @Override
  public String toString() {
    return "KeyEncryptionKey[" + id + ", " + file + "]";
  }

  private static String idOf(byte[] key) {
    try {
      return HexFormat.of()
          .formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(key), 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static String mode(Set<PosixFilePermission> permissions) {
    String rwx = PosixFilePermissions.toString(permissions);
    int mode = 0;
    for (int i = 0; i < 9; i++) {
      if (rwx.charAt(i) != '-') {
        mode |= 1 << (8 - i);
      }
    }
    return String.format("%04o (%s)", mode, rwx);
  }
}
