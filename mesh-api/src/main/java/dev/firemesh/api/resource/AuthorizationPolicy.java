package dev.firemesh.api.resource;

import java.util.List;
import java.util.Objects;

/**
 * Who may call a service, and what, enforced by the service's own sidecars (the callee). For a call
 * to {@code service}: if a rule of an enforcing DENY policy matches, the call is denied; else if
 * the service has any enforcing ALLOW policy, the call is allowed only when one of their rules
 * matches (default deny); else it is allowed. Dry-run policies are evaluated the same way and what
 * they would have denied is recorded, never enforced.
 *
 * <p>Matching fails safe when the caller is not what a rule can be sure of: an ALLOW rule's {@code
 * from} never matches a caller without a verified identity (a plaintext peer), while a DENY rule's
 * exclusions ({@code notIdentities}, {@code notServices}) do; DENY rules compare paths and methods
 * ignoring case, ALLOW rules exactly, so a case trick can only lose access, never gain it.
 */
public record AuthorizationPolicy(Metadata metadata, Spec spec) implements Resource {

  @Override
  public Kind kind() {
    return Kind.AUTHORIZATION_POLICY;
  }

  /**
   * @param service the callee whose sidecars enforce the policy
   * @param mode whether the policy decides ({@code enforce}) or only records ({@code dryRun})
   */
  public record Spec(String service, Action action, Mode mode, List<Rule> rules) {
    public Spec {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(mode, "mode");
      rules = List.copyOf(rules);
    }

    /** An enforcing policy. */
    public Spec(String service, Action action, List<Rule> rules) {
      this(service, action, Mode.ENFORCE, rules);
    }
  }

  public enum Action {
    ALLOW,
    DENY
  }

  /** Whether a policy's outcome is enforced or only recorded, to try a policy on live traffic. */
  public enum Mode {
    ENFORCE("enforce"),
    DRY_RUN("dryRun");

    private final String wireName;

    Mode(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /**
   * A rule matches when its source, operation and every condition match; empty parts match all.
   *
   * @param name optional ({@code ""}); names the rule in logs and decisions, which otherwise give
   *     its index
   */
  public record Rule(String name, Source from, Operation to, List<Condition> when) {
    public Rule {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      when = List.copyOf(when);
    }

    public Rule(Source from, Operation to, List<Condition> when) {
      this("", from, to, when);
    }
  }

  /**
   * The caller, as its verified identity says. Every list given must hold (an entry of each); an
   * empty list holds for any caller.
   *
   * @param identities exact SPIFFE IDs ({@code spiffe://prod.bank/env/prod/svc/gateway}) or
   *     prefixes ending in {@code /*} ({@code spiffe://prod.bank/env/prod/*})
   * @param services caller service names, in any environment
   * @param envs caller environments
   * @param notIdentities the caller must be none of these (exact or prefix, as {@code identities})
   * @param notServices the caller's service must be none of these
   */
  public record Source(
      List<String> identities,
      List<String> services,
      List<String> envs,
      List<String> notIdentities,
      List<String> notServices) {
    public static final Source ANY =
        new Source(List.of(), List.of(), List.of(), List.of(), List.of());

    public Source {
      identities = List.copyOf(identities);
      services = List.copyOf(services);
      envs = List.copyOf(envs);
      notIdentities = List.copyOf(notIdentities);
      notServices = List.copyOf(notServices);
    }

    /** Whether the source says nothing about the caller. */
    public boolean isAny() {
      return equals(ANY);
    }
  }

  /**
   * What is called.
   *
   * @param methods HTTP methods, upper case
   * @param paths exact paths, or prefixes ending in {@code *} ({@code /orders/*})
   * @param ports service ports by name ({@code http}) or number ({@code "9090"})
   */
  public record Operation(List<String> methods, List<String> paths, List<String> ports) {
    public static final Operation ANY = new Operation(List.of(), List.of(), List.of());

    public Operation {
      methods = List.copyOf(methods);
      paths = List.copyOf(paths);
      ports = List.copyOf(ports);
    }

    public Operation(List<String> methods, List<String> paths) {
      this(methods, paths, List.of());
    }
  }

  /**
   * A request header that must be one of {@code values}, or, with no values, merely present.
   *
   * @param header lower case
   */
  public record Condition(String header, List<String> values) {
    public Condition {
      Objects.requireNonNull(header, "header");
      values = List.copyOf(values);
    }

    /** The header must be present, whatever its value. */
    public static Condition present(String header) {
      return new Condition(header, List.of());
    }

    public boolean presentOnly() {
      return values.isEmpty();
    }
  }
}
