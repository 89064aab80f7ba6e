package dev.firemesh.chassis.telemetry;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** How the chassis sets up the service's logging when it starts. */
public enum LogFormat {
  /** One JSON object per line on standard output (the default). */
  JSON,
  /** Leave logging as the service configured it (its own logback.xml, another SLF4J binding). */
  AS_CONFIGURED;

  /**
   * Sends every log line to standard output as JSON, replacing the root logger's appenders, if this
   * is {@link #JSON} and logback is the SLF4J binding; otherwise does nothing.
   */
  public void apply(String service, String instance) {
    if (this != JSON) {
      return;
    }
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    JsonLogEncoder encoder = new JsonLogEncoder();
    encoder.setContext(context);
    encoder.setService(service);
    encoder.setInstance(instance);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("firemesh-json");
    console.setEncoder(encoder);
    console.start();
    root.detachAndStopAllAppenders();
    root.addAppender(console);
  }
}
