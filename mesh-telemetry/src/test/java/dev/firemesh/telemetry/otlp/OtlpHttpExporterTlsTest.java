package dev.firemesh.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export over mutual TLS, as to the control plane with the workload's SVID: the exporter presents
 * the client certificate of the {@code SSLContext} it is given and checks the endpoint's. The
 * certificates are made by the JDK's keytool, so the test needs nothing but the JDK.
 */
@Timeout(120)
class OtlpHttpExporterTlsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();

  @Test
  void presentsTheClientCertificateOfItsSslContext(@TempDir Path dir) throws Exception {
    keytool(
        dir,
        "-genkeypair",
        "-alias",
        "collector",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=collector",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2",
        "-keystore",
        "collector.p12",
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit");
    keytool(
        dir,
        "-genkeypair",
        "-alias",
        "orders",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=orders",
        "-validity",
        "2",
        "-keystore",
        "orders.p12",
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit");
    keytool(
        dir,
        "-exportcert",
        "-alias",
        "collector",
        "-keystore",
        "collector.p12",
        "-storepass",
        "changeit",
        "-file",
        "collector.cer");
    keytool(
        dir,
        "-exportcert",
        "-alias",
        "orders",
        "-keystore",
        "orders.p12",
        "-storepass",
        "changeit",
        "-file",
        "orders.cer");

    List<String> clients = new CopyOnWriteArrayList<>();
    List<ExportTraceServiceRequest> requests = new CopyOnWriteArrayList<>();
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    SSLContext serverTls = context(dir.resolve("collector.p12"), dir.resolve("orders.cer"));
    server.setHttpsConfigurator(
        new HttpsConfigurator(serverTls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters parameters = serverTls.getDefaultSSLParameters();
            parameters.setNeedClientAuth(true);
            params.setSSLParameters(parameters);
          }
        });
    server.createContext(
        "/v1/traces",
        exchange -> {
          clients.add(((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName());
          requests.add(
              ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    try (OtlpHttpExporter exporter =
        OtlpHttpExporter.builder(Spans.ORDERS)
            .endpoint(URI.create("https://127.0.0.1:" + server.getAddress().getPort()))
            .sslContext(context(dir.resolve("orders.p12"), dir.resolve("collector.cer")))
            .maxDelay(Duration.ofMillis(20))
            .build()) {
      exporter.offer(Spans.inbound("/a"));

      await().until(() -> exporter.totals().exported() == 1);

      assertThat(clients).containsExactly("CN=orders");
      assertThat(requests.getFirst().getResourceSpans(0).getScopeSpans(0).getSpansCount())
          .isEqualTo(1);
    } finally {
      server.stop(0);
    }
  }

  private static SSLContext context(Path keyStore, Path trusted) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      keys.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    Certificate certificate;
    try (InputStream in = Files.newInputStream(trusted)) {
      certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    trust.setCertificateEntry("peer", certificate);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
      }
    } finally {
      process.destroyForcibly();
    }
  }
}
