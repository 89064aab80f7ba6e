package dev.firemesh.api.resource;

import java.util.List;
import java.util.Objects;

/**
 * Who may call a service, and what. Policies with action DENY are checked first; if any ALLOW
 * policy exists for a service, a call must match one of its rules (default deny).
 */
public record AuthorizationPolicy(Metadata metadata, Spec spec) implements Resource {

  @Override
  public Kind kind() {
    return Kind.AUTHORIZATION_POLICY;
  }

  public record Spec(String service, Action action, List<Rule> rules) {
    public Spec {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(action, "action");
      rules = List.copyOf(rules);
    }
  }

  public enum Action {
    ALLOW,
    DENY
  }

  /** A rule matches when its source, operation and every condition match; empty parts match all. */
  public record Rule(Source from, Operation to, List<Condition> when) {
    public Rule {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      when = List.copyOf(when);
    }
  }

  /**
   * The caller: by service name (in any environment), or by full SPIFFE identity such as {@code
   * spiffe://prod.bank/env/prod/svc/gateway}.
   */
  public record Source(List<String> services, List<String> identities) {
    public static final Source ANY = new Source(List.of(), List.of());

    public Source {
      services = List.copyOf(services);
      identities = List.copyOf(identities);
    }
  }

  /** What is called: HTTP methods and paths (a trailing {@code *} matches a prefix). */
  public record Operation(List<String> methods, List<String> paths) {
    public static final Operation ANY = new Operation(List.of(), List.of());

    public Operation {
      methods = List.copyOf(methods);
      paths = List.copyOf(paths);
    }
  }

  /** A request header whose value must be one of {@code values}. */
  public record Condition(String header, List<String> values) {
    public Condition {
      Objects.requireNonNull(header, "header");
      values = List.copyOf(values);
    }
  }
}
