package dev.firemesh.cli.log;

import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * The threshold of each logger, as logback's configuration in {@code logback.xml} sets it: a logger
 * takes the level of its nearest configured ancestor ({@code io.grpc} covers {@code
 * io.grpc.netty}), else the root's.
 *
 * @param root the level of loggers no entry covers
 * @param byPrefix logger name (a package or class) to its level
 */
record LogLevels(Threshold root, Map<String, Threshold> byPrefix) {
  /** The libraries that are quiet unless something is wrong, as in {@code logback.xml}. */
  private static final Map<String, Threshold> LIBRARIES =
      Map.of(
          "io.grpc", Threshold.WARN,
          "io.netty", Threshold.WARN,
          "io.envoyproxy", Threshold.WARN);

  LogLevels {
    byPrefix = Map.copyOf(byPrefix);
  }

  /** The root from {@code FIREMESH_LOG_LEVEL} (a system property or the environment), else INFO. */
  static LogLevels fromEnvironment() {
    String text = System.getProperty("FIREMESH_LOG_LEVEL", System.getenv("FIREMESH_LOG_LEVEL"));
    return new LogLevels(text == null ? Threshold.INFO : Threshold.parse(text), LIBRARIES);
  }

  Threshold of(String logger) {
    Threshold best = root;
    int bestLength = -1;
    for (Map.Entry<String, Threshold> entry : byPrefix.entrySet()) {
      String prefix = entry.getKey();
      boolean covers =
          logger.equals(prefix)
              || (logger.startsWith(prefix) && logger.charAt(prefix.length()) == '.');
      if (covers && prefix.length() > bestLength) {
        best = entry.getValue();
        bestLength = prefix.length();
      }
    }
    return best;
  }

  /** A logger's threshold: SLF4J's levels, and OFF above them all. */
  enum Threshold {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    OFF;

    boolean allows(Level level) {
      return ordinal()
          <= switch (level) {
            case TRACE -> 0;
            case DEBUG -> 1;
            case INFO -> 2;
            case WARN -> 3;
            case ERROR -> 4;
          };
    }

    /** As logback reads a level: any case, ALL is TRACE, anything unknown DEBUG. */
    static Threshold parse(String text) {
      String name = text.strip().toUpperCase(Locale.ROOT);
      if (name.equals("ALL")) {
        return TRACE;
      }
      for (Threshold threshold : values()) {
        if (threshold.name().equals(name)) {
          return threshold;
        }
      }
      return DEBUG;
    }
  }
}
