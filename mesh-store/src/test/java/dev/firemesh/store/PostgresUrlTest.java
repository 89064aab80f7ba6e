package dev.firemesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresUrlTest {

  @Test
  void aPasswordFileGivesThePasswordAndStaysOutOfTheDisplay(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, "s3cret\nignored\n");

    PostgresUrl url = PostgresUrl.parse("postgresql://mesh@h:5432/orders?passwordFile=" + file);

    assertThat(url.properties()).isEqualTo(Map.of("user", "mesh", "password", "s3cret"));
    assertThat(url.display()).isEqualTo("postgresql://mesh:***@h:5432/orders");
    String risk = url.withDatabase("risk").libpqUriWithPasswordFile(file);
    assertThat(risk)
        .startsWith("postgresql://mesh@h:5432/risk?passwordFile=")
        .doesNotContain("s3cret");
    assertThat(PostgresUrl.parse(risk).properties()).containsEntry("password", "s3cret");
  }

  @Test
  void anUnreadablePasswordFileOrBothPasswordsAreRefused(@TempDir Path dir) {
    assertThatThrownBy(
            () -> PostgresUrl.parse("postgresql://mesh@h/db?passwordFile=" + dir.resolve("none")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot read the password file")
        .hasMessageContaining("passwordFile");
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://mesh:pw@h/db?passwordFile=/x"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("both a password and passwordFile")
        .hasMessageNotContaining("pw@");
  }

  @Test
  void poolSizeSizesThePoolAndIsNotPassedToTheDriver() {
    PostgresUrl url = PostgresUrl.parse("postgresql://mesh@h/db?poolSize=24&sslmode=require");
    assertThat(url.poolSize()).isEqualTo(24);
    assertThat(url.driverProperties()).doesNotContainKey("poolSize").containsKey("sslmode");
    assertThat(PostgresUrl.parse("postgresql://mesh@h/db").poolSize()).isEqualTo(8);
    for (String bad : new String[] {"0", "101", "-1", "eight", ""}) {
      assertThatThrownBy(() -> PostgresUrl.parse("postgresql://mesh@h/db?poolSize=" + bad))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("poolSize in PostgreSQL URL postgresql://mesh@h/db")
          .hasMessageContaining("must be a whole number from 1 to 100, not '" + bad + "'");
    }
  }

  @Test
  void libpqUriBecomesJdbcUrlWithCredentialsAsProperties() {
    PostgresUrl url = PostgresUrl.parse("postgresql://mesh:s3cr%40t@db.example:6432/firemesh");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6432/firemesh");
    assertThat(url.properties()).isEqualTo(Map.of("user", "mesh", "password", "s3cr@t"));
    assertThat(url.display()).isEqualTo("postgresql://mesh:***@db.example:6432/firemesh");
  }

  @Test
  void userPasswordPortAndDatabaseAreOptional() {
    PostgresUrl url = PostgresUrl.parse("postgres://db.example");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example/");
    assertThat(url.properties()).isEmpty();
    assertThat(url.display()).isEqualTo("postgresql://db.example/");
  }

  @Test
  void emptyHostMeansLocalhost() {
    assertThat(PostgresUrl.parse("postgresql:///firemesh").jdbcUrl())
        .isEqualTo("jdbc:postgresql://localhost/firemesh");
  }

  @Test
  void parametersBecomeDriverPropertiesInTheDriversNames() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://mesh@h1:5432,h2:5433/db?sslmode=require&application_name=cp%201"
                + "&connect_timeout=5");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/db");
    assertThat(url.properties())
        .isEqualTo(
            Map.of(
                "user", "mesh",
                "sslmode", "require",
                "ApplicationName", "cp 1",
                "connectTimeout", "5"));
  }

  @Test
  void databaseNameIsDecodedThenReencodedForTheDriver() {
    PostgresUrl url = PostgresUrl.parse("postgresql://h/my%20db+x");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h/my%20db%2Bx");
    assertThat(url.display()).isEqualTo("postgresql://h/my db+x");
  }

  @Test
  void jdbcUrlKeepsItsHostAndTakesCredentialsFromParameters() {
    PostgresUrl url =
        PostgresUrl.parse("jdbc:postgresql://[::1]:5432/firemesh?user=mesh&password=pw");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/firemesh");
    assertThat(url.properties()).isEqualTo(Map.of("user", "mesh", "password", "pw"));
    assertThat(url.display()).isEqualTo("postgresql://mesh:***@[::1]:5432/firemesh");
  }

  @Test
  void libpqUriRoundTrips() {
    String uri = "postgresql://mesh:p%40ss@h:5432/db?sslmode=disable";

    PostgresUrl again = PostgresUrl.parse(PostgresUrl.parse(uri).libpqUri());

    assertThat(again).isEqualTo(PostgresUrl.parse(uri));
  }

  @Test
  void otherSchemesAreRefusedWithThePasswordMasked() {
    assertThatThrownBy(() -> PostgresUrl.parse("mysql://root:hunter2@h/db"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("mysql://root:***@h/db")
        .hasMessageContaining("expected postgresql://")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void malformedParameterIsRefused() {
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://h/db?sslmode&password=hunter2"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("'sslmode'")
        .hasMessageNotContaining("hunter2");
  }
}
