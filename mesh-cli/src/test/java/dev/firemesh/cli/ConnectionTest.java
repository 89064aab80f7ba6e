package dev.firemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.control.admin.TestCa;
import dev.firemesh.identity.Pem;
import dev.firemesh.workload.admin.AdminCallException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CLI looks for the control plane, and what it says when it is not there. */
class ConnectionTest {
  @TempDir Path dir;

  @BeforeEach
  void token() throws IOException {
    Files.writeString(dir.resolve(ControlPlaneFiles.TOKEN), "fm_test\n");
    ControlPlaneFiles.writeTrustBundle(
        dir, Pem.encodeCertificates(new TestCa("test.local").trustBundle()));
  }

  private Connection connection() {
    Connection connection = new Connection();
    connection.dataDir = dir;
    return connection;
  }

  private static AdminCallException refused(int status) {
    return AdminCallException.refused(
        status, "{\"message\":\"missing or wrong bearer token\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void withoutControlJsonTheDefaultAddressIsOnlyAGuess() {
    Connection connection = connection();
    assertThat(connection.client().base().toString()).isEqualTo("https://127.0.0.1:7070");

    // Another control plane answers there: its token differs.
    assertThat(connection.explain(refused(401)))
        .hasValue(
            "no control plane found for data dir "
                + dir
                + " (no control.json; the one at the default address belongs to another data dir);"
                + " is `firemesh control --data-dir "
                + dir
                + "` running?");
    // Nothing answers there.
    assertThat(connection.explain(new AdminCallException("cannot reach")))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .startsWith(
                        "no control plane found for data dir "
                            + dir
                            + " (no control.json, and nothing answers"));
    // Other refusals are the control plane's own word.
    assertThat(connection.explain(refused(404))).isEmpty();
  }

  @Test
  void controlJsonNamesTheAddress() throws IOException {
    ControlPlaneFiles.writeAddresses(
        dir, Map.of("admin", "https://127.0.0.1:41234", "pid", ProcessHandle.current().pid()));
    Connection connection = connection();
    assertThat(connection.client().base().toString()).isEqualTo("https://127.0.0.1:41234");
    assertThat(connection.explain(refused(401))).isEmpty();
    // The process it names is alive (it is this one): no extra hint.
    assertThat(connection.explain(new AdminCallException("cannot reach"))).isEmpty();
  }

  @Test
  void anExplicitServerIsNeverAGuess() {
    Connection connection = connection();
    connection.server = java.net.URI.create("https://127.0.0.1:7070");
    connection.client();
    assertThat(connection.explain(refused(401))).isEmpty();
  }

  @Test
  void withoutTheTrustBundleTheCliSaysWhereItLooked() throws IOException {
    Files.delete(dir.resolve(ControlPlaneFiles.TRUST_BUNDLE));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> connection().client())
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(dir.resolve("trust-bundle.pem") + ": no such file")
        .hasMessageContaining("--ca-bundle");
  }

  @Test
  void anEmptyTokenFileIsBadInput() throws IOException {
    Files.writeString(dir.resolve(ControlPlaneFiles.TOKEN), "\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> connection().client())
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(
            "cannot read the admin token "
                + dir.resolve("admin.token")
                + ": the token file is empty");
  }
}
