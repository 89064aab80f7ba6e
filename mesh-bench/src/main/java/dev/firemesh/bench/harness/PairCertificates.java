package dev.firemesh.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Certificates for the proxy-to-proxy hop of an mTLS pair: a throw-away CA, a server certificate
 * for the callee's proxy (DNS name {@code echo}) and a client certificate for the caller's, all
 * ECDSA P-256 like a mesh's workload certificates, made with {@code openssl} in the run's folder at
 * run time (never committed).
 */
record PairCertificates(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

  /** The certificate and its key in one file, as HAProxy's {@code crt} wants them. */
  Path serverPem() {
    return concatenated(serverCert, serverKey, "server.pem");
  }

  Path clientPem() {
    return concatenated(clientCert, clientKey, "client.pem");
  }

  static PairCertificates create(Workspace workspace) {
    Path dir = workspace.file("tls");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String d = dir.toString();
    openssl(
        workspace,
        "tls-ca",
        List.of(
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            d + "/ca.key",
            "-out",
            d + "/ca.crt",
            "-days",
            "2",
            "-subj",
            "/CN=firemesh-bench-ca"));
    for (String who : List.of("server", "client")) {
      openssl(
          workspace,
          "tls-" + who + "-csr",
          List.of(
              "req",
              "-newkey",
              "ec",
              "-pkeyopt",
              "ec_paramgen_curve:prime256v1",
              "-nodes",
              "-keyout",
              d + "/" + who + ".key",
              "-out",
              d + "/" + who + ".csr",
              "-subj",
              "/CN=" + (who.equals("server") ? "echo" : "bench-client")));
      Path extensions =
          workspace.write(
              "tls/" + who + ".ext",
              who.equals("server")
                  ? "subjectAltName=DNS:echo\nextendedKeyUsage=serverAuth\n"
                  : "subjectAltName=DNS:bench-client\nextendedKeyUsage=clientAuth\n");
      openssl(
          workspace,
          "tls-" + who + "-sign",
          List.of(
              "x509",
              "-req",
              "-in",
              d + "/" + who + ".csr",
              "-CA",
              d + "/ca.crt",
              "-CAkey",
              d + "/ca.key",
              "-CAcreateserial",
              "-days",
              "2",
              "-extfile",
              extensions.toString(),
              "-out",
              d + "/" + who + ".crt"));
    }
    return new PairCertificates(
        dir.resolve("ca.crt"),
        dir.resolve("server.crt"),
        dir.resolve("server.key"),
        dir.resolve("client.crt"),
        dir.resolve("client.key"));
  }

  private static void openssl(Workspace workspace, String step, List<String> args) {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(args);
    int exit = workspace.run(step, command, Map.of(), Duration.ofSeconds(30));
    if (exit != 0) {
      throw new HarnessException("openssl failed making " + step + ": " + workspace.tail(step));
    }
  }

  private Path concatenated(Path cert, Path key, String name) {
    try {
      Path pem = cert.resolveSibling(name);
      Files.writeString(pem, Files.readString(cert) + Files.readString(key));
      return pem;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
