package dev.firemesh.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs {@code firemesh} commands in this JVM, capturing what they print (including what picocli
 * itself writes to {@code System.err}, such as its warnings) and their exit code.
 */
final class Cli {
  record Result(int exitCode, String out, String err) {}

  private Cli() {}

  static Result run(String... args) {
    return runWithStdin("", args);
  }

  static synchronized Result runWithStdin(String stdin, String... args) {
    PrintStream systemErr = System.err;
    InputStream systemIn = System.in;
    ByteArrayOutputStream stray = new ByteArrayOutputStream();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try {
      // Replaced before the CommandLine is made: picocli's execution strategy remembers the
      // System.err of that moment, and would route the command's errors back to it otherwise.
      System.setErr(new PrintStream(stray, true, StandardCharsets.UTF_8));
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      CommandLine cli = FireMesh.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      code = cli.execute(args);
    } finally {
      System.setErr(systemErr);
      System.setIn(systemIn);
    }
    return new Result(code, out.toString(), err + stray.toString(StandardCharsets.UTF_8));
  }
}
