package dev.firemesh.cli.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J provider that writes one line per event to stderr. Selected by name, never found by
 * SLF4J's service loader (logback is the provider the class path declares):
 *
 * <pre>{@code
 * StderrLogging.select(); // before the first LoggerFactory.getLogger
 * }</pre>
 */
public final class StderrLogging implements SLF4JServiceProvider {
  /** SLF4J's property naming the provider class (SLF4J 2.0.9 and later). */
  static final String PROVIDER_PROPERTY = "slf4j.provider";

  private static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();
  private ILoggerFactory loggers;

  /**
   * Makes this the process's SLF4J provider unless one was chosen on the command line ({@code
   * -Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider} brings logback back).
   */
  public static void select() {
    if (System.getProperty(PROVIDER_PROPERTY) == null) {
      System.setProperty(PROVIDER_PROPERTY, StderrLogging.class.getName());
      // SLF4J reports an explicitly named provider at INFO on stderr: not a line users need.
      if (System.getProperty(VERBOSITY_PROPERTY) == null) {
        System.setProperty(VERBOSITY_PROPERTY, "WARN");
      }
    }
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    loggers = new StderrLoggerFactory(LogLevels.fromEnvironment(), System.err);
  }
}
