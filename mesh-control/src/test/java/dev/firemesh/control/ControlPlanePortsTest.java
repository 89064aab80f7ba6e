package dev.firemesh.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A busy port stops the start at once, naming the port, before any store is started (so these tests
 * need no PostgreSQL), and leaves nothing listening or written.
 */
class ControlPlanePortsTest {
  @TempDir Path dataDir;

  @Test
  void aBusyAdminPortIsNamed() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = busy.getLocalPort();
      assertThatThrownBy(
              () -> ControlPlane.start(ControlPlane.Options.defaults(dataDir).withPorts(port, 0)))
          .isInstanceOfSatisfying(
              PortInUseException.class,
              e -> {
                assertThat(e.listener()).isEqualTo("admin API");
                assertThat(e.address().getPort()).isEqualTo(port);
              })
          .hasMessage("admin API port 127.0.0.1:" + port + " is in use");
    }
    assertThat(dataDir.resolve(ControlPlaneFiles.ADDRESSES)).doesNotExist();
  }

  @Test
  void aBusyXdsPortIsNamedAndTheAdminPortIsFreedAgain() throws IOException {
    int adminPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      adminPort = probe.getLocalPort();
    }
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = busy.getLocalPort();
      assertThatThrownBy(
              () ->
                  ControlPlane.start(
                      ControlPlane.Options.defaults(dataDir).withPorts(adminPort, port)))
          .isInstanceOf(PortInUseException.class)
          .hasMessage("xDS port 127.0.0.1:" + port + " is in use");
    }
    // The admin listener taken before the xDS one failed was closed again.
    try (ServerSocket again = new ServerSocket(adminPort, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(adminPort);
    }
  }
}
