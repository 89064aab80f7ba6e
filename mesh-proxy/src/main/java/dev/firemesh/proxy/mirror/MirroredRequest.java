package dev.firemesh.proxy.mirror;

import dev.firemesh.proxy.forward.RoutedRequest;
import dev.firemesh.proxy.forward.Target;
import java.util.List;
import java.util.Objects;

/**
 * A routed request with the targets its copies go to, on its way from the routing step to the
 * {@link MirrorTap}, which passes {@code request} on alone.
 *
 * @param mirrors one target per copy; they hold no lease
 */
public record MirroredRequest(RoutedRequest request, List<Target> mirrors) {
  public MirroredRequest {
    Objects.requireNonNull(request, "request");
    mirrors = List.copyOf(mirrors);
  }

  /** {@code request} itself when there is nothing to copy, else the two together. */
  public static Object of(RoutedRequest request, List<Target> mirrors) {
    return mirrors.isEmpty() ? request : new MirroredRequest(request, mirrors);
  }
}
