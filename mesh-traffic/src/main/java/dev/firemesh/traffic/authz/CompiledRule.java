package dev.firemesh.traffic.authz;

import dev.firemesh.api.resource.AuthorizationPolicy;
import java.util.List;

/**
 * One rule, in arrays for matching. A DENY rule matches in the caller's disfavour wherever the
 * request is ambiguous: it compares methods, paths and header values ignoring case, counts an
 * unverified caller as none of its exclusions, any value of a repeated header, and an unknown port
 * as any. An ALLOW rule does the opposite: exact comparison, a verified caller for any {@code
 * from}, every value of a repeated header, a known port. A trick can then only lose access.
 */
final class CompiledRule {
  private static final String[] NONE = new String[0];

  final String name;
  private final boolean deny;
  private final boolean anySource;
  private final String[] identities;
  private final String[] identityPrefixes;
  private final String[] services;
  private final String[] envs;
  private final String[] notIdentities;
  private final String[] notIdentityPrefixes;
  private final String[] notServices;
  private final String[] methods;
  private final String[] paths;
  private final String[] pathPrefixes;
  private final String[] portNames;
  private final int[] portNumbers;
  private final String[] headers;
  private final String[][] headerValues;

  CompiledRule(AuthorizationPolicy.Rule rule, boolean deny) {
    this.name = rule.name();
    this.deny = deny;
    AuthorizationPolicy.Source from = rule.from();
    this.anySource = from.isAny();
    this.identities = exact(from.identities());
    this.identityPrefixes = prefixes(from.identities());
    this.services = array(from.services());
    this.envs = array(from.envs());
    this.notIdentities = exact(from.notIdentities());
    this.notIdentityPrefixes = prefixes(from.notIdentities());
    this.notServices = array(from.notServices());
    AuthorizationPolicy.Operation to = rule.to();
    this.methods = array(to.methods());
    this.paths = exact(to.paths());
    this.pathPrefixes = prefixes(to.paths());
    this.portNames = to.ports().stream().filter(p -> !isNumber(p)).toArray(String[]::new);
    this.portNumbers =
        to.ports().stream().filter(CompiledRule::isNumber).mapToInt(Integer::parseInt).toArray();
    this.headers =
        rule.when().stream().map(AuthorizationPolicy.Condition::header).toArray(String[]::new);
    this.headerValues = rule.when().stream().map(c -> array(c.values())).toArray(String[][]::new);
  }

  boolean matches(AccessRequest request) {
    return sourceMatches(request.caller())
        && methodMatches(request.method())
        && pathMatches(request.path())
        && portMatches(request.portName(), request.portNumber())
        && conditionsHold(request.headers());
  }

  private boolean sourceMatches(Caller caller) {
    if (anySource) {
      return true;
    }
    if (!caller.verified()) {
      // positive conditions need an identity; a DENY rule's exclusions catch the unverified
      return deny
          && identities.length == 0
          && identityPrefixes.length == 0
          && services.length == 0
          && envs.length == 0;
    }
    String id = caller.identity();
    if ((identities.length > 0 || identityPrefixes.length > 0)
        && !contains(identities, id)
        && !startsWithAny(identityPrefixes, id)) {
      return false;
    }
    if (services.length > 0 && !contains(services, caller.service())) {
      return false;
    }
    if (envs.length > 0 && !contains(envs, caller.env())) {
      return false;
    }
    return !contains(notIdentities, id)
        && !startsWithAny(notIdentityPrefixes, id)
        && !contains(notServices, caller.service());
  }

  private boolean methodMatches(String method) {
    if (methods.length == 0) {
      return true;
    }
    for (String m : methods) {
      if (deny ? m.equalsIgnoreCase(method) : m.equals(method)) {
        return true;
      }
    }
    return false;
  }

  private boolean pathMatches(String path) {
    if (paths.length == 0 && pathPrefixes.length == 0) {
      return true;
    }
    for (String p : paths) {
      if (deny ? p.equalsIgnoreCase(path) : p.equals(path)) {
        return true;
      }
    }
    for (String p : pathPrefixes) {
      if (path.regionMatches(deny, 0, p, 0, p.length())) {
        return true;
      }
    }
    return false;
  }

  private boolean portMatches(String name, int number) {
    if (portNames.length == 0 && portNumbers.length == 0) {
      return true;
    }
    if (name.isEmpty() && number == 0) {
      return deny;
    }
    if (contains(portNames, name)) {
      return true;
    }
    for (int n : portNumbers) {
      if (n == number) {
        return true;
      }
    }
    return false;
  }

  private boolean conditionsHold(AccessRequest.Headers request) {
    for (int i = 0; i < headers.length; i++) {
      List<String> present = request.all(headers[i]);
      if (present.isEmpty()) {
        return false;
      }
      String[] wanted = headerValues[i];
      if (wanted.length > 0 && !(deny ? anyValue(present, wanted) : everyValue(present, wanted))) {
        return false;
      }
    }
    return true;
  }

  /** Some value, or some comma-separated element of one, is wanted (ignoring case). */
  private static boolean anyValue(List<String> present, String[] wanted) {
    for (String value : present) {
      int start = 0;
      while (start <= value.length()) {
        int comma = value.indexOf(',', start);
        int end = comma < 0 ? value.length() : comma;
        int from = start;
        int to = end;
        while (from < to && value.charAt(from) == ' ') {
          from++;
        }
        while (to > from && value.charAt(to - 1) == ' ') {
          to--;
        }
        for (String w : wanted) {
          if (w.length() == to - from && value.regionMatches(true, from, w, 0, w.length())) {
            return true;
          }
        }
        start = end + 1;
      }
    }
    return false;
  }

  /** Every value, as sent, is wanted exactly. */
  private static boolean everyValue(List<String> present, String[] wanted) {
    for (String value : present) {
      if (!contains(wanted, value)) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(String[] values, String value) {
    for (String v : values) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithAny(String[] prefixes, String value) {
    for (String p : prefixes) {
      if (value.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private static String[] array(List<String> values) {
    return values.isEmpty() ? NONE : values.toArray(String[]::new);
  }

  private static String[] exact(List<String> values) {
    return values.stream().filter(v -> !v.endsWith("*")).toArray(String[]::new);
  }

  /** Entries ending in {@code *}, without it. */
  private static String[] prefixes(List<String> values) {
    return values.stream()
        .filter(v -> v.endsWith("*"))
        .map(v -> v.substring(0, v.length() - 1))
        .toArray(String[]::new);
  }

  private static boolean isNumber(String port) {
    return !port.isEmpty() && port.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
