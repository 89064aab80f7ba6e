package dev.firemesh.cli.log;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** One {@link StderrLogger} per name, its threshold fixed when it is first asked for. */
final class StderrLoggerFactory implements ILoggerFactory {
  private final LogLevels levels;
  private final PrintStream out;
  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

  StderrLoggerFactory(LogLevels levels, PrintStream out) {
    this.levels = levels;
    this.out = out;
  }

  @Override
  public Logger getLogger(String name) {
    return loggers.computeIfAbsent(name, n -> new StderrLogger(n, levels.of(n), out));
  }
}
