package dev.firemesh.api.validation;

import java.util.regex.Pattern;

/** The rule for resource and service names, shared by the codec, the CLI and the admin API. */
public final class Names {

  /** How the rule reads in error messages. */
  public static final String DNS_LABEL_RULE =
      "a name of lower-case letters, digits and '-', starting and ending with a letter or digit,"
          + " at most 63 characters";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private Names() {}

  /** A DNS-1123 label: {@code orders}, {@code market-data}; not {@code Orders} or {@code -x}. */
  public static boolean isDnsLabel(String name) {
    return DNS_LABEL.matcher(name).matches();
  }
}
