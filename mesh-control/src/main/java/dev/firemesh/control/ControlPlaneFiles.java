package dev.firemesh.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a control plane keeps in its data directory, which the CLI reads to find it: the admin
 * token ({@code admin.token}, mode 0600) and the addresses it listens on ({@code control.json}).
 */
public final class ControlPlaneFiles {
  public static final String TOKEN = "admin.token";
  public static final String ADDRESSES = "control.json";
  public static final int DEFAULT_ADMIN_PORT = 7070;
  public static final int DEFAULT_XDS_PORT = 18000;

  private ControlPlaneFiles() {}

  public static String readToken(Path file) throws IOException {
    String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (value.isEmpty()) {
      throw new IOException("the token file is empty");
    }
    return value;
  }
}
