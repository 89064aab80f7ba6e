package dev.firemesh.chassis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRoutesTest {
  private static final HttpHandler OK = request -> HttpResponse.text(200, "ok");

  @Test
  void matchesLiteralsParametersAndARestInOrderAdded() {
    HttpRoutes routes =
        HttpRoutes.builder()
            .get("/orders/open", OK)
            .get("/orders/{id}", OK)
            .get("/orders/{id}/fills/{fill}", OK)
            .get("/static/*", OK)
            .build();

    assertThat(routes.match("GET", "/orders/open"))
        .get()
        .extracting(m -> m.route().template())
        .isEqualTo("/orders/open");
    assertThat(routes.match("GET", "/orders/7").orElseThrow().pathParams())
        .isEqualTo(Map.of("id", "7"));
    assertThat(routes.match("GET", "/orders/7/fills/3").orElseThrow().pathParams())
        .isEqualTo(Map.of("id", "7", "fill", "3"));
    assertThat(routes.match("GET", "/static/a/b.css")).isPresent();
    assertThat(routes.match("GET", "/static/")).isPresent();
    assertThat(routes.match("GET", "/orders/")).isEmpty();
    assertThat(routes.match("GET", "/orders/7/extra")).isEmpty();
    assertThat(routes.match("POST", "/orders/7")).isEmpty();
    assertThat(routes.pathKnown("/orders/7")).isTrue();
  }

  @Test
  void refusesMalformedTemplates() {
    assertThatThrownBy(() -> HttpRoutes.builder().get("orders", OK))
        .hasMessageContaining("must start with '/'");
    assertThatThrownBy(() -> HttpRoutes.builder().get("/a/{}", OK))
        .hasMessageContaining("bad or repeated");
    assertThatThrownBy(() -> HttpRoutes.builder().get("/a/{id}/{id}", OK))
        .hasMessageContaining("bad or repeated");
    assertThatThrownBy(() -> HttpRoutes.builder().get("/*/a", OK))
        .hasMessageContaining("last segment");
  }
}
