package dev.firemesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {

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
