package dev.firemesh.chassis.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A secret the service needs (an API key, a password), held in configuration as a reference only:
 * {@code env:NAME} (an environment variable of the service's process) or {@code file:/path} (a file
 * mounted for it). The control plane stores and ships the reference, never the secret; the value is
 * read inside the service when {@link #reveal()} is called, each time, so a rotated file is picked
 * up without a config change. {@link #toString()} shows the reference, never the value.
 */
public final class Secret {
  private static final java.util.regex.Pattern ENV_NAME =
      java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final String reference;
  private final Function<String, String> environment;

  private Secret(String reference, Function<String, String> environment) {
    this.reference = reference;
    this.environment = environment;
  }

  /**
   * A secret from its reference.
   *
   * @throws IllegalArgumentException when {@code reference} is not {@code env:NAME} or {@code
   *     file:/absolute/path}; the message does not repeat it, in case a secret was written there
   */
  public static Secret of(String reference) {
    return new Secret(checked(reference), System::getenv);
  }

  /** As {@link #of}, reading {@code env:} references from {@code environment} (for tests). */
  static Secret of(String reference, Map<String, String> environment) {
    return new Secret(checked(reference), environment::get);
  }

  /** Why {@code reference} is not a secret reference, or empty when it is one. */
  static java.util.Optional<String> problem(String reference) {
    if (reference.startsWith("env:")) {
      return ENV_NAME.matcher(reference.substring(4)).matches()
          ? java.util.Optional.empty()
          : java.util.Optional.of("an env: reference names a variable: env:NAME");
    }
    if (reference.startsWith("file:")) {
      return reference.length() > 6 && reference.charAt(5) == '/'
          ? java.util.Optional.empty()
          : java.util.Optional.of("a file: reference is an absolute path: file:/path");
    }
    return java.util.Optional.of(
        "a secret is written as a reference, env:NAME or file:/path, never in plain text");
  }

  private static String checked(String reference) {
    Objects.requireNonNull(reference, "reference");
    problem(reference)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    return reference;
  }

  /** The reference, {@code env:NAME} or {@code file:/path}: safe to show. */
  public String reference() {
    return reference;
  }

  /**
   * Reads the secret now. A file's trailing line break is dropped (mounted secrets usually end with
   * one).
   *
   * @throws SecretUnavailableException when the variable is not set or the file cannot be read
   */
  public String reveal() {
    if (reference.startsWith("env:")) {
      String name = reference.substring(4);
      String value = environment.apply(name);
      if (value == null) {
        throw new SecretUnavailableException(
            "secret " + reference + ": the environment variable " + name + " is not set");
      }
      return value;
    }
    Path file = Path.of(reference.substring(5));
    try {
      String value = Files.readString(file, StandardCharsets.UTF_8);
      return value.endsWith("\r\n")
          ? value.substring(0, value.length() - 2)
          : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    } catch (IOException e) {
      throw new SecretUnavailableException(
          "secret "
              + reference
              + ": the file cannot be read ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret secret && secret.reference.equals(reference);
  }

  @Override
  public int hashCode() {
    return reference.hashCode();
  }

  @Override
  public String toString() {
    return "Secret[" + reference + "]";
  }
}
