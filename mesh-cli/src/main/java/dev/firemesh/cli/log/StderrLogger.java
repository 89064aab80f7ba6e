package dev.firemesh.cli.log;

import dev.firemesh.cli.log.LogLevels.Threshold;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Writes {@code HH:mm:ss.SSS LEVEL Logger - message}, the pattern {@code %d{HH:mm:ss.SSS} %-5level
 * %logger{0} - %msg%n} of {@code logback.xml}, then the stack trace of a throwable. Each event is
 * one {@code print}, so lines of concurrent threads do not interleave.
 */
final class StderrLogger extends LegacyAbstractLogger {
  private final transient Threshold threshold;
  private final transient PrintStream out;
  private final String shortName;

  StderrLogger(String name, Threshold threshold, PrintStream out) {
    this.name = name;
    this.threshold = threshold;
    this.out = out;
    this.shortName = name.substring(name.lastIndexOf('.') + 1);
  }

  @Override
  public boolean isTraceEnabled() {
    return threshold.allows(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return threshold.allows(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return threshold.allows(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return threshold.allows(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return threshold.allows(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
    Object[] args = arguments;
    // As logback does: a trailing Throwable argument is the event's throwable, not a parameter.
    if (throwable == null && args != null && args.length > 0) {
      throwable = MessageFormatter.getThrowableCandidate(args);
      if (throwable != null) {
        args = MessageFormatter.trimmedCopy(args);
      }
    }
    out.print(
        line(LocalTime.now(), level, MessageFormatter.basicArrayFormat(pattern, args), throwable));
  }

  String line(LocalTime time, Level level, String message, Throwable throwable) {
    StringBuilder line = new StringBuilder(48 + message.length());
    pad(line, time.getHour(), 2).append(':');
    pad(line, time.getMinute(), 2).append(':');
    pad(line, time.getSecond(), 2).append('.');
    pad(line, time.getNano() / 1_000_000, 3).append(' ');
    String levelName = level.name();
    line.append(levelName).append(" ".repeat(Math.max(0, 5 - levelName.length()))).append(' ');
    line.append(shortName).append(" - ").append(message).append(System.lineSeparator());
    if (throwable != null) {
      StringWriter trace = new StringWriter();
      throwable.printStackTrace(new PrintWriter(trace));
      line.append(trace);
    }
    return line.toString();
  }

  private static StringBuilder pad(StringBuilder line, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      line.append('0');
    }
    return line.append(digits);
  }
}
