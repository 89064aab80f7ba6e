package dev.firemesh.examples.trading.plumbing;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A service's command line: {@code --name value} pairs. Each service documents its own in its
 * {@code Main}; a wrong or missing one stops the service with a message naming it.
 */
public final class Arguments {
  private final String service;
  private final Map<String, String> values = new HashMap<>();

  private Arguments(String service) {
    this.service = service;
  }

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException if an argument is not a {@code --name value} pair
   */
  public static Arguments parse(String service, String... args) {
    Arguments parsed = new Arguments(service);
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            service + ": expected --name value pairs, got \"" + args[i] + "\"");
      }
      parsed.values.put(args[i].substring(2), args[i + 1]);
    }
    return parsed;
  }

  public String service() {
    return service;
  }

  public Optional<String> optional(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  public int port(String name, int fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          service + ": --" + name + " expects a port from 0 to 65535, got \"" + value + "\"");
    }
  }

  public double number(String name, double fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          service + ": --" + name + " expects a number, got \"" + value + "\"");
    }
  }

  /** A loopback {@code host:port}, such as the sidecar's outbound listener. */
  public InetSocketAddress address(String name, String fallback) {
    String value = values.getOrDefault(name, fallback);
    int colon = value.lastIndexOf(':');
    try {
      return new InetSocketAddress(
          value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          service + ": --" + name + " expects host:port, got \"" + value + "\"");
    }
  }

  public Optional<Path> path(String name) {
    return optional(name).map(Path::of);
  }
}
