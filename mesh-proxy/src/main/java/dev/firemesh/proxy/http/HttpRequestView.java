package dev.firemesh.proxy.http;

import dev.firemesh.traffic.config.RequestView;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.Optional;

/** What the router may see of an HTTP/1.1 request head, read in place (no copy of headers). */
public record HttpRequestView(HttpRequest request) implements RequestView {

  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public String path() {
    String uri = request.uri();
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  @Override
  public Optional<String> header(String lowerCaseName) {
    List<String> values = request.headers().getAll(lowerCaseName);
    return switch (values.size()) {
      case 0 -> Optional.empty();
      case 1 -> Optional.of(values.getFirst());
      default -> Optional.of(String.join(",", values));
    };
  }
}
