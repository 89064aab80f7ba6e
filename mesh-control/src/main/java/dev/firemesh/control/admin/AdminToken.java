package dev.firemesh.control.admin;

import dev.firemesh.control.ControlPlaneFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The admin API's bearer token: 32 random bytes, generated at first start and kept in {@code
 * <data-dir>/admin.token} readable by its owner only, where the CLI finds it.
 */
public final class AdminToken {
  private final byte[] token;

  private AdminToken(String token) {
    this.token = token.getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads the token from the data directory, creating it (mode 0600) on first start. */
  public static AdminToken loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(ControlPlaneFiles.TOKEN);
    try {
      Files.createDirectories(dataDir);
      if (!Files.exists(file)) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String fresh = "fm_" + HexFormat.of().formatHex(random);
        try {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, fresh + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException raced) {
          // Another replica sharing the directory created it first: use theirs.
        }
      }
      return new AdminToken(ControlPlaneFiles.readToken(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create or read the admin token " + file, e);
    }
  }

  /** Checks an {@code Authorization} header in constant time. */
  public boolean accepts(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
      return false;
    }
    byte[] offered =
        authorizationHeader
            .substring("Bearer ".length())
            .strip()
            .getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(token, offered);
  }

  /** The token value, for in-process clients such as the demo. */
  public String value() {
    return new String(token, StandardCharsets.US_ASCII);
  }
}
