package dev.firemesh.api.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The normal form of request paths: the attacks of issue 7, and its properties. */
class RequestPathsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/admin, /admin",
    "/a/../admin, /admin",
    "/a/b/../../admin, /admin",
    "/../../admin, /admin",
    "/./admin, /admin",
    "/admin/., /admin/",
    "/admin/.., /",
    "//admin, /admin",
    "/a//b///c, /a/b/c",
    "/admin/, /admin/",
    "/%61dmin, /admin",
    "/%2e%2e/admin, /admin",
    "/a/%2E%2E/admin, /admin",
    "/a/.%2e/admin, /admin",
    "/%7euser, /~user",
    "/a%3ab, /a%3Ab",
    "/a%25, /a%25",
    "/a%252e%252e/admin, /a%252e%252e/admin",
    "/ADMIN, /ADMIN",
    "/.well-known/x, /.well-known/x",
    "/..a/b, /..a/b",
    "*, *"
  })
  void normalizes(String path, String expected) throws Exception {
    assertThat(RequestPaths.normalize(path)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/a%2fb", "/a%2Fb", "/a%5cb", "/a%00", "/a\\b", "/a%zz", "/a%4", "/a%", "a/b", "", "/a b"
      })
  void refuses(String path) {
    assertThatThrownBy(() -> RequestPaths.normalize(path)).isInstanceOf(RefusedPathException.class);
  }

  @Test
  void aNormalPathIsReturnedAsItIs() throws Exception {
    String path = "/orders/7/fills";
    assertThat(RequestPaths.normalize(path)).isSameAs(path);
  }

  @Property(tries = 2000)
  void normalFormIsIdempotentWithoutDotSegmentsEmptySegmentsOrEncodedUnreserved(
      @ForAll("paths") String path) throws Exception {
    String normal;
    try {
      normal = RequestPaths.normalize(path);
    } catch (RefusedPathException refused) {
      return;
    }
    assertThat(RequestPaths.normalize(normal)).isEqualTo(normal);
    assertThat(normal).startsWith("/").doesNotContain("//");
    assertThat(normal.split("/", -1)).doesNotContain(".", "..");
    for (int i = normal.indexOf('%'); i >= 0; i = normal.indexOf('%', i + 1)) {
      char decoded = (char) Integer.parseInt(normal.substring(i + 1, i + 3), 16);
      assertThat(RequestPaths.isUnreserved(decoded)).as(normal).isFalse();
      assertThat(normal.substring(i + 1, i + 3)).isUpperCase();
    }
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> piece =
        Arbitraries.oneOf(
            Arbitraries.of("/", "//", ".", "..", "/./", "/../", "%2e", "%2E", "%2f", "%5C", "%00"),
            Arbitraries.of("%41", "%7e", "%3a", "%3A", "%25", "%", "%g1", "\\", "a", "Z", "~", "-"),
            Arbitraries.strings().withChars("abc.-_~%/").ofMaxLength(4));
    return piece.list().ofMaxSize(12).map(parts -> "/" + String.join("", parts));
  }
}
