package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB upload and a 1 GiB download through two sidecar processes whose heaps are 48 MiB (and
 * whose direct memory, which Netty's pooled buffers use, is capped the same): they can only pass if
 * the sidecars stream bodies with back-pressure rather than hold them. Every byte is checked.
 */
class StreamingBodyTest {
  private static final long GIB = 1L << 30;
  private static final String SMALL_HEAP = "48m";

  @TempDir Path tmp;

  @Test
  void aGibibyteStreamsBothWaysThroughSidecarsWithSmallHeaps() throws Exception {
    try (Closer closer = new Closer()) {
      ControlPlaneProcess control = closer.add(ControlPlaneProcess.start(tmp.resolve("control")));
      control
          .client()
          .post(
              "/v1/apply",
              ChildProcesses.applyBody(
                  "mesh.yaml",
                  """
                  apiVersion: firemesh.dev/v1
                  kind: Service
                  metadata: {name: files}
                  spec:
                    ports: [{name: http, port: 8080, protocol: http1}]
                  ---
                  apiVersion: firemesh.dev/v1
                  kind: Service
                  metadata: {name: gateway}
                  spec:
                    ports: [{name: http, port: 8080, protocol: http1}]
                  """));
      Path work = tmp.resolve("sidecars");
      LocalApp files = closer.add(LocalApp.start("files-1"));
      LocalApp gatewayApp = closer.add(LocalApp.start("gateway-1"));
      SidecarProcess gateway =
          closer
              .add(new Fleet())
              .startTogether(
                  List.of(
                      () ->
                          SidecarProcess.start(
                              control.dataDir(),
                              work,
                              "gateway",
                              "gateway-1",
                              SMALL_HEAP,
                              Fleet.options(gatewayApp.port())),
                      () ->
                          SidecarProcess.start(
                              control.dataDir(),
                              work,
                              "files",
                              "files-1",
                              SMALL_HEAP,
                              Fleet.options(files.port()))))
              .getFirst();
      HttpClient client =
          HttpClient.newBuilder().proxy(ProxySelector.of(gateway.outbound())).build();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  client
                      .send(
                          HttpRequest.newBuilder(URI.create("http://files/who")).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body()
                      .equals("files-1"));

      HttpResponse<String> upload =
          client.send(
              HttpRequest.newBuilder(URI.create("http://files/upload"))
                  .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(GIB)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(upload.statusCode()).isEqualTo(200);
      assertThat(upload.body()).isEqualTo(GIB + " " + expectedCrc(GIB));

      HttpResponse<InputStream> download =
          client.send(
              HttpRequest.newBuilder(URI.create("http://files/download?bytes=" + GIB)).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertThat(download.statusCode()).isEqualTo(200);
      CRC32C crc = new CRC32C();
      long received = 0;
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = download.body()) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          crc.update(buffer, 0, n);
          received += n;
        }
      }
      assertThat(received).isEqualTo(GIB);
      assertThat(crc.getValue()).isEqualTo(expectedCrc(GIB));
      assertThat(gateway.alive()).isTrue();
    }
  }

  private static long expectedCrc(long bytes) throws Exception {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = new PatternStream(bytes)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return crc.getValue();
  }

  /** {@code length} bytes of {@link LocalApp#pattern}, 64 KiB at a time, made as they are read. */
  private static final class PatternStream extends InputStream {
    private static final byte[] CHUNK = LocalApp.pattern(64 * 1024);
    private long left;
    private int offset;

    PatternStream(long length) {
      this.left = length;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int at, int length) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(Math.min(length, CHUNK.length - offset), left);
      System.arraycopy(CHUNK, offset, into, at, n);
      offset = (offset + n) % CHUNK.length;
      left -= n;
      return n;
    }
  }
}
