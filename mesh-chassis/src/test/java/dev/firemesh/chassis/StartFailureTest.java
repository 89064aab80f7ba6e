package dev.firemesh.chassis;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import dev.firemesh.chassis.telemetry.LogFormat;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service that cannot have what it needs fails at start, saying which dependency and why. */
class StartFailureTest {
  @TempDir Path dir;

  /** A record with a field no default covers: some Config must set it. */
  record NeedsLimit(Long maxQuantity) {}

  @Test
  void noControlPlaneIsNamedWithTheVariableToSet() {
    assertThatThrownBy(() -> builder().start())
        .isInstanceOf(ChassisStartException.class)
        .hasMessageContaining("cannot start orders: no control plane")
        .hasMessageContaining("FIREMESH_CONTROL_PLANE")
        .hasMessageContaining("standalone()");
  }

  @Test
  void noJoinTokenSaysHowAnOperatorIssuesOne() throws Exception {
    assertThatThrownBy(
            () ->
                builder()
                    .controlPlane(
                        URI.create("http://127.0.0.1:" + closedPort()), dir.resolve("ca.pem"))
                    .start())
        .isInstanceOf(ChassisStartException.class)
        .hasMessageContaining("no join token")
        .hasMessageContaining("firemesh token create --service orders --env prod");
  }

  @Test
  void anUnreachableControlPlaneIsNamedAfterTheWait() throws Exception {
    int port = closedPort();
    assertThatThrownBy(
            () ->
                builder()
                    .controlPlane(URI.create("http://127.0.0.1:" + port), dir.resolve("ca.pem"))
                    .joinToken("fmjt_not-a-real-token")
                    .controlPlaneWait(Duration.ofMillis(600))
                    .start())
        .isInstanceOf(ChassisStartException.class)
        .hasMessageContaining(
            "no workload identity from the control plane at http://127.0.0.1:" + port);
  }

  @Test
  void anUnreachableStoreIsNamed() throws Exception {
    int port = closedPort();
    assertThatThrownBy(
            () ->
                builder()
                    .standalone()
                    .ownReferenceData(ReferenceSets.VENUES)
                    .store("postgresql://firemesh@127.0.0.1:" + port + "/refdata")
                    .start())
        .isInstanceOf(ChassisStartException.class)
        .hasMessageContaining("cannot start orders: its store")
        .hasMessageContaining("127.0.0.1:" + port);
  }

  @Test
  void anUnreachableReferenceDataOwnerIsNamed() throws Exception {
    int port = closedPort();
    assertThatThrownBy(
            () ->
                builder()
                    .standalone()
                    .referenceData("reference-data", ReferenceSets.INSTRUMENTS)
                    .referenceDataAt(URI.create("http://127.0.0.1:" + port))
                    .referenceDataWait(Duration.ofMillis(500))
                    .start())
        .isInstanceOf(ChassisStartException.class)
        .hasMessageContaining("cannot start orders: its reference data");
  }

  @Test
  void aConfigWithNoValueForARequiredFieldCannotRunStandalone() {
    assertThatThrownBy(
            () -> builder().standalone().config(NeedsLimit.class, new NeedsLimit(null)).start())
        .isInstanceOf(ChassisStartException.class)
        .hasMessageContaining("cannot start orders standalone")
        .hasMessageContaining("maxQuantity");
  }

  private Chassis.Builder builder() {
    return Chassis.builder(new Environment(Map.of()))
        .service("orders")
        .environment("prod")
        .logFormat(LogFormat.AS_CONFIGURED)
        .stopOnSigterm(false)
        .dataDirectory(dir);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
