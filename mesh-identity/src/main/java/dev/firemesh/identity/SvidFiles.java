package dev.firemesh.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A workload's credentials as PEM files, for clients that read them from disk (a stock gRPC
 * client's xDS bootstrap names them): {@value #CHAIN} (the SVID, leaf first), {@value #KEY} (its
 * PKCS#8 key, mode 0600) and {@value #BUNDLE} (the roots to trust).
 *
 * <p>Each file is replaced atomically, but not the three at once: a reader that finds a key which
 * does not match the chain has caught a renewal half-written, and reads again later ({@link #read}
 * refuses the pair rather than hand out a key for the wrong certificate).
 */
public final class SvidFiles {
  public static final String CHAIN = "svid.pem";
  public static final String KEY = "svid-key.pem";
  public static final String BUNDLE = "bundle.pem";

  private static final byte[] PROBE = "firemesh-svid-files".getBytes(StandardCharsets.US_ASCII);

  private SvidFiles() {}

  /** Writes {@code credentials} into {@code dir} (created if needed): bundle, key, then chain. */
  public static void write(Path dir, WorkloadCredentials credentials) throws IOException {
    Files.createDirectories(dir);
    replace(dir.resolve(BUNDLE), Pem.encodeCertificates(credentials.trustBundle()), false);
    replace(dir.resolve(KEY), Pem.encodePrivateKey(credentials.privateKey()), true);
    replace(dir.resolve(CHAIN), Pem.encodeCertificates(credentials.chain()), false);
  }

  /**
   * Reads credentials back.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if a file is not what it should be, or the key is not the
   *     chain's, naming the file
   */
  public static WorkloadCredentials read(Path chain, Path key, Path bundle) throws IOException {
    List<X509Certificate> certificates = decode(chain, Pem::decodeCertificates);
    PrivateKey privateKey = decode(key, Pem::decodePrivateKey);
    List<X509Certificate> roots = decode(bundle, Pem::decodeCertificates);
    X509Certificate leaf = certificates.getFirst();
    if (!PossessionProof.verify(
        leaf.getPublicKey(), PROBE, PossessionProof.sign(privateKey, PROBE))) {
      throw new IllegalArgumentException(key + ": the key is not the one certified in " + chain);
    }
    try {
      return new WorkloadCredentials(
          SvidVerifier.identityOf(leaf), privateKey, certificates, roots);
    } catch (SvidRejectedException e) {
      throw new IllegalArgumentException(chain + ": " + e.getMessage(), e);
    }
  }

  private interface Decoder<T> {
    T decode(String text);
  }

  private static <T> T decode(Path file, Decoder<T> decoder) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    try {
      return decoder.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static void replace(Path file, String text, boolean secret) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (secret) {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
