package dev.firemesh.it;

import dev.firemesh.cli.FireMesh;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code firemesh} commands in this JVM, capturing what they print and their exit code. */
final class Cli {
  record Result(int exitCode, String out, String err) {}

  private Cli() {}

  static Result run(String... args) {
    CommandLine cli = FireMesh.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
