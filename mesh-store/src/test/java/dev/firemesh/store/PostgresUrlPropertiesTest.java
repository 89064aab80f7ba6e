package dev.firemesh.store;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The URL parser on arbitrary input: its own error or a URL, never a leaked password. */
class PostgresUrlPropertiesTest {

  @Property(tries = 2_000)
  void anyInputIsAUrlOrAStoreExceptionAndTheDisplayNeverShowsThePassword(
      @ForAll("urls") String input) {
    try {
      PostgresUrl url = PostgresUrl.parse(input);
      String password = url.properties().get("password");
      if (password != null && password.length() > 3) {
        assertThat(url.display()).doesNotContain(password);
        assertThat(url.toString()).doesNotContain(password);
      }
      assertThat(PostgresUrl.parse(url.libpqUri()).jdbcUrl()).isEqualTo(url.jdbcUrl());
    } catch (StoreException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<String> urls() {
    Arbitrary<String> scheme =
        Arbitraries.of("postgresql://", "postgres://", "jdbc:postgresql://", "mysql://", "");
    Arbitrary<String> text =
        Arbitraries.strings().withChars("abcXYZ019:@/?&=%+-._ ").ofMaxLength(30);
    return net.jqwik.api.Combinators.combine(scheme, text).as(String::concat);
  }
}
