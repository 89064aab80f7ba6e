package dev.firemesh.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.api.resource.AuthorizationPolicy.Condition;
import dev.firemesh.api.resource.AuthorizationPolicy.Operation;
import dev.firemesh.api.resource.AuthorizationPolicy.Rule;
import dev.firemesh.api.resource.AuthorizationPolicy.Source;
import dev.firemesh.api.resource.MutualTls;
import dev.firemesh.api.validation.InvalidResourceException;
import dev.firemesh.api.validation.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * AuthorizationPolicy and MutualTls: what documents read as, their canonical form, what is refused.
 */
class AuthorizationPolicyCodecTest {

  static final String POLICY =
      """
      apiVersion: firemesh.dev/v1
      kind: AuthorizationPolicy
      metadata: {name: orders-deny}
      spec:
        service: orders
        action: DENY
        mode: dryRun
        rules:
          - name: no-admin
            from:
              identities: ["spiffe://prod.bank/env/prod/*"]
              services: [gateway]
              envs: [prod, uat]
              notIdentities: ["spiffe://prod.bank/env/prod/svc/ops"]
              notServices: [risk]
            to:
              methods: [delete]
              paths: [/admin/*, /orders/%3Aall]
              ports: [http, 9090]
            when:
              - {header: X-Desk, values: [fx, rates]}
              - {header: x-debug, present: true}
      """;

  private static AuthorizationPolicy read(String yaml) {
    return (AuthorizationPolicy) ResourceCodec.parse("authz.yaml", yaml).getFirst().resource();
  }

  private static List<String> problems(String yaml) {
    try {
      ResourceCodec.parse("authz.yaml", yaml);
    } catch (InvalidResourceException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("expected the document to be refused:\n" + yaml);
  }

  @Test
  void readsEveryField() {
    AuthorizationPolicy policy = read(POLICY);

    assertThat(policy.spec().action()).isEqualTo(AuthorizationPolicy.Action.DENY);
    assertThat(policy.spec().mode()).isEqualTo(AuthorizationPolicy.Mode.DRY_RUN);
    assertThat(policy.spec().rules())
        .containsExactly(
            new Rule(
                "no-admin",
                new Source(
                    List.of("spiffe://prod.bank/env/prod/*"),
                    List.of("gateway"),
                    List.of("prod", "uat"),
                    List.of("spiffe://prod.bank/env/prod/svc/ops"),
                    List.of("risk")),
                new Operation(
                    List.of("DELETE"),
                    List.of("/admin/*", "/orders/%3Aall"),
                    List.of("http", "9090")),
                List.of(
                    new Condition("x-desk", List.of("fx", "rates")),
                    Condition.present("x-debug"))));
  }

  @Test
  void writesTheCanonicalFormAndReadsItBack() {
    AuthorizationPolicy policy = read(POLICY);
    String yaml = ResourceCodec.toYaml(policy);

    assertThat(yaml)
        .contains("mode: dryRun")
        .contains("ports: [http, 9090]")
        .contains("present: true");
    assertThat(read(yaml)).isEqualTo(policy);
  }

  @Test
  void todaysPoliciesReadAsBefore() {
    AuthorizationPolicy policy =
        read(
            """
            apiVersion: firemesh.dev/v1
            kind: AuthorizationPolicy
            metadata: {name: orders-from-gateway}
            spec:
              service: orders
              rules:
                - from: {services: [gateway]}
                  to: {methods: [POST], paths: [/orders*]}
            """);

    assertThat(policy.spec().action()).isEqualTo(AuthorizationPolicy.Action.ALLOW);
    assertThat(policy.spec().mode()).isEqualTo(AuthorizationPolicy.Mode.ENFORCE);
    assertThat(policy.spec().rules().getFirst().name()).isEmpty();
    assertThat(ResourceCodec.toYaml(policy)).doesNotContain("mode").doesNotContain("action");
  }

  @Test
  void everyFieldErrorIsReportedAtOnceWithItsPosition() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: bad}
                spec:
                  service: Orders
                  action: permit
                  mode: dry-run
                  rules:
                    - name: a
                      from:
                        identities: ["spiffe://prod.bank/env/prod/svc/gw/x", "spiffe://prod.bank/svc/*"]
                        services: [Gateway]
                        envs: [prod_1]
                        notIdentities: [gateway]
                        notServices: [7]
                        tenants: [x]
                      to:
                        methods: [FETCH]
                        paths: [orders, "/a//b", "/a/../admin", "/%7Euser", "/a%2Fb", "/a%3a", "/x?y"]
                        ports: [0, Http, [1], "01"]
                      when:
                        - {header: "x desk", values: []}
                        - {header: x-a, values: [a], present: true}
                        - {header: x-b, present: false}
                        - {header: x-c}
                    - name: a
                """))
        .containsExactly(
            "authz.yaml:5:12: spec.service: expected a name of lower-case letters, digits and '-',"
                + " starting and ending with a letter or digit, at most 63 characters, got \"Orders\"",
            "authz.yaml:6:11: spec.action: expected one of ALLOW, DENY, got \"permit\"",
            "authz.yaml:7:9: spec.mode: expected one of enforce, dryRun, got \"dry-run\" (did you"
                + " mean \"dryRun\"?)",
            "authz.yaml:11:22: spec.rules[0].from.identities[0]: expected a SPIFFE ID such as"
                + " spiffe://prod.bank/env/prod/svc/gateway, or a prefix spiffe://prod.bank/* or"
                + " spiffe://prod.bank/env/prod/*, got \"spiffe://prod.bank/env/prod/svc/gw/x\"",
            "authz.yaml:11:62: spec.rules[0].from.identities[1]: expected a SPIFFE ID such as"
                + " spiffe://prod.bank/env/prod/svc/gateway, or a prefix spiffe://prod.bank/* or"
                + " spiffe://prod.bank/env/prod/*, got \"spiffe://prod.bank/svc/*\"",
            "authz.yaml:12:20: spec.rules[0].from.services[0]: expected a name of lower-case"
                + " letters, digits and '-', starting and ending with a letter or digit, at most 63"
                + " characters, got \"Gateway\"",
            "authz.yaml:13:16: spec.rules[0].from.envs[0]: expected a name of lower-case letters,"
                + " digits and '-', starting and ending with a letter or digit, at most 63"
                + " characters, got \"prod_1\"",
            "authz.yaml:14:25: spec.rules[0].from.notIdentities[0]: expected a SPIFFE ID such as"
                + " spiffe://prod.bank/env/prod/svc/gateway, or a prefix spiffe://prod.bank/* or"
                + " spiffe://prod.bank/env/prod/*, got \"gateway\"",
            "authz.yaml:15:23: spec.rules[0].from.notServices[0]: expected a name of lower-case"
                + " letters, digits and '-', starting and ending with a letter or digit, at most 63"
                + " characters, got 7 (put it in quotes to use it as text)",
            "authz.yaml:16:9: spec.rules[0].from.tenants: unknown field",
            "authz.yaml:18:19: spec.rules[0].to.methods[0]: expected an HTTP method (GET, HEAD,"
                + " POST, PUT, DELETE, CONNECT, OPTIONS, TRACE or PATCH), got \"FETCH\"",
            PATH + "19:17: spec.rules[0].to.paths[0]: " + PATH_EXPECTED + "\"orders\"",
            PATH
                + "19:25: spec.rules[0].to.paths[1]: "
                + PATH_EXPECTED
                + "\"/a//b\" (requests are matched as \"/a/b\")",
            PATH
                + "19:34: spec.rules[0].to.paths[2]: "
                + PATH_EXPECTED
                + "\"/a/../admin\" (requests are matched as \"/admin\")",
            PATH
                + "19:49: spec.rules[0].to.paths[3]: "
                + PATH_EXPECTED
                + "\"/%7Euser\" (requests are matched as \"/~user\")",
            PATH
                + "19:61: spec.rules[0].to.paths[4]: "
                + PATH_EXPECTED
                + "\"/a%2Fb\" (a request with an encoded '/' in the path is refused before"
                + " matching)",
            PATH
                + "19:71: spec.rules[0].to.paths[5]: "
                + PATH_EXPECTED
                + "\"/a%3a\" (requests are matched as \"/a%3A\")",
            PATH
                + "19:80: spec.rules[0].to.paths[6]: "
                + PATH_EXPECTED
                + "\"/x?y\" ('?' at index 2)",
            "authz.yaml:20:17: spec.rules[0].to.ports[0]: expected a whole number from 1 to 65535,"
                + " got 0",
            "authz.yaml:20:20: spec.rules[0].to.ports[1]: expected a name of lower-case letters,"
                + " digits and '-', starting and ending with a letter or digit, at most 63"
                + " characters, got \"Http\"",
            "authz.yaml:20:26: spec.rules[0].to.ports[2]: expected a port number from 1 to 65535"
                + " or a port name, got a list",
            "authz.yaml:20:31: spec.rules[0].to.ports[3]: a port name has at least one letter;"
                + " write a port number without quotes, got \"01\"",
            "authz.yaml:22:20: spec.rules[0].when[0].header: expected an HTTP header name, got"
                + " \"x desk\"",
            "authz.yaml:22:38: spec.rules[0].when[0].values: expected at least one entry, got an"
                + " empty list",
            "authz.yaml:23:47: spec.rules[0].when[1].present: give values or present: true, not"
                + " both",
            "authz.yaml:24:34: spec.rules[0].when[2].present: expected true (a condition on a"
                + " header's absence is not supported)",
            "authz.yaml:25:11: spec.rules[0].when[3].values: missing required field (or present:"
                + " true)",
            "authz.yaml:26:13: spec.rules[1].name: duplicate rule name \"a\" (first at line 9)");
  }

  private static final String PATH = "authz.yaml:";
  private static final String PATH_EXPECTED =
      "expected a path starting with '/' in normal form (no '//', '.' or '..' segments, no query,"
          + " percent-escapes only for reserved characters, upper-case hex), optionally ending in"
          + " '*' to match a prefix, got ";

  @Test
  void defaultIsNotAPolicyName() {
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: AuthorizationPolicy
                metadata: {name: default}
                spec: {service: orders}
                """))
        .containsExactly(
            "authz.yaml:3:18: metadata.name: \"default\" is reserved: metrics and logs name"
                + " decisions no policy made so");
  }

  @Test
  void mutualTlsIsMeshWideWithoutAServiceAndNeedsAMode() {
    MutualTls meshWide =
        (MutualTls)
            ResourceCodec.parse(
                    "mtls.yaml",
                    """
                    apiVersion: firemesh.dev/v1
                    kind: MutualTls
                    metadata: {name: mesh}
                    spec: {mode: STRICT}
                    """)
                .getFirst()
                .resource();
    assertThat(meshWide.spec()).isEqualTo(new MutualTls.Spec(MutualTls.Mode.STRICT, ""));
    assertThat(meshWide.spec().meshWide()).isTrue();
    assertThat(ResourceCodec.toYaml(meshWide)).contains("spec: {mode: strict}");

    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: MutualTls
                metadata: {name: orders}
                spec: {service: Orders, mod: strict}
                """))
        .containsExactly(
            "authz.yaml:4:7: spec.mode: missing required field",
            "authz.yaml:4:17: spec.service: expected a name of lower-case letters, digits and '-',"
                + " starting and ending with a letter or digit, at most 63 characters, got"
                + " \"Orders\"",
            "authz.yaml:4:25: spec.mod: unknown field (did you mean \"mode\"?)");
    assertThat(
            problems(
                """
                apiVersion: firemesh.dev/v1
                kind: MutualTls
                metadata: {name: orders}
                spec: {mode: required}
                """))
        .containsExactly(
            "authz.yaml:4:14: spec.mode: expected one of strict, permissive, got \"required\"");
  }
}
