package dev.firemesh.traffic.config;

import java.util.List;
import java.util.Optional;

/** The route table of one logical service: routes in order, the first that matches wins. */
public record VirtualService(String name, List<RouteEntry> routes) {
  public VirtualService {
    routes = List.copyOf(routes);
  }

  public Optional<RouteEntry> select(RequestView request) {
    for (RouteEntry route : routes) {
      if (route.match().matches(request)) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }
}
