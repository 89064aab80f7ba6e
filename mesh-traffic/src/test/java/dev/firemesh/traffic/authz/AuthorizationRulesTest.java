package dev.firemesh.traffic.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.codec.ResourceCodec;
import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.api.validation.ParsedResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decision engine: deny wins, default deny, dry run, and matching that fails safe. */
class AuthorizationRulesTest {

  private static final String GATEWAY = "spiffe://prod.bank/env/prod/svc/gateway";
  private static final String RISK = "spiffe://prod.bank/env/prod/svc/risk";
  private static final String UAT_GATEWAY = "spiffe://prod.bank/env/uat/svc/gateway";

  /** Policies for orders from YAML specs, each {@code name: spec}. */
  private static AuthorizationRules rules(String... namesAndSpecs) {
    List<AuthorizationPolicy> policies = new ArrayList<>();
    for (int i = 0; i < namesAndSpecs.length; i += 2) {
      String yaml =
          """
          apiVersion: firemesh.dev/v1
          kind: AuthorizationPolicy
          metadata: {name: %s}
          spec: %s
          """
              .formatted(namesAndSpecs[i], namesAndSpecs[i + 1]);
      ParsedResource parsed = ResourceCodec.parse("p.yaml", yaml).getFirst();
      policies.add((AuthorizationPolicy) parsed.resource());
    }
    return AuthorizationRules.compile(policies);
  }

  private static AccessRequest call(String identity, String method, String path) {
    return call(identity, method, path, Map.of());
  }

  private static AccessRequest call(
      String identity, String method, String path, Map<String, List<String>> headers) {
    return new AccessRequest(
        Caller.of(Optional.ofNullable(identity)),
        method,
        path,
        name -> headers.getOrDefault(name, List.of()),
        "http",
        8080);
  }

  @Test
  void withoutPoliciesEverythingIsAllowed() {
    Decision decision = AuthorizationRules.NONE.decide(call(null, "GET", "/"));
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.verdict()).isEqualTo(Decision.Verdict.NO_POLICY);
    assertThat(decision.policy()).isEqualTo("default");
  }

  @Test
  void anAllowPolicyDeniesWhatNoneOfItsRulesMatch() {
    AuthorizationRules rules =
        rules(
            "from-gateway",
            "{service: orders, rules: [{name: gw, from: {services: [gateway]}, to: {methods: [POST],"
                + " paths: [/orders, /orders/*]}}]}");

    Decision allowed = rules.decide(call(GATEWAY, "POST", "/orders/7"));
    assertThat(allowed.allowed()).isTrue();
    assertThat(allowed.decidedBy()).isEqualTo("from-gateway rule gw");
    assertThat(allowed).isSameAs(rules.decide(call(GATEWAY, "POST", "/orders")));

    assertThat(rules.decide(call(RISK, "POST", "/orders/7"))).isSameAs(Decision.DEFAULT_DENY);
    assertThat(rules.decide(call(GATEWAY, "GET", "/orders/7")).allowed()).isFalse();
    assertThat(rules.decide(call(GATEWAY, "POST", "/ordersx")).allowed()).isFalse();
    assertThat(rules.decide(call(null, "POST", "/orders/7")).allowed())
        .as("a plaintext peer matches no ALLOW rule's from")
        .isFalse();
    assertThat(Decision.DEFAULT_DENY.decidedBy()).isEqualTo("default deny");
  }

  @Test
  void aDenyRuleWinsOverAnAllowRule() {
    AuthorizationRules rules =
        rules(
            "allow-all",
            "{service: orders, rules: [{from: {services: [gateway]}}]}",
            "no-admin",
            "{service: orders, action: DENY, rules: [{to: {methods: [GET]}}, {to: {paths:"
                + " [/admin/*]}}]}");

    Decision denied = rules.decide(call(GATEWAY, "POST", "/admin/users"));
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.verdict()).isEqualTo(Decision.Verdict.DENIED_BY_RULE);
    assertThat(denied.policy()).isEqualTo("no-admin");
    assertThat(denied.rule()).isEqualTo(1);
    assertThat(denied.decidedBy()).isEqualTo("no-admin rule 1");
    assertThat(rules.decide(call(GATEWAY, "POST", "/orders")).policy()).isEqualTo("allow-all");
  }

  @Test
  void onlyDenyPoliciesLeaveTheRestAllowed() {
    AuthorizationRules rules =
        rules("no-delete", "{service: orders, action: DENY, rules: [{to: {methods: [DELETE]}}]}");

    assertThat(rules.decide(call(null, "GET", "/")).verdict())
        .isEqualTo(Decision.Verdict.NO_POLICY);
    assertThat(rules.decide(call(null, "DELETE", "/")).allowed()).isFalse();
  }

  @Test
  void anAllowPolicyWithoutRulesDeniesEverythingADenyPolicyWithoutRulesNothing() {
    assertThat(rules("nobody", "{service: orders}").decide(call(GATEWAY, "GET", "/")).allowed())
        .isFalse();
    assertThat(
            rules("nothing", "{service: orders, action: DENY}")
                .decide(call(GATEWAY, "GET", "/"))
                .allowed())
        .isTrue();
  }

  @Test
  void dryRunPoliciesRecordWhatTheyWouldDenyAndDecideNothing() {
    AuthorizationRules rules =
        rules(
            "try-allow",
            "{service: orders, mode: dryRun, rules: [{from: {services: [gateway]}}]}",
            "try-deny",
            "{service: orders, action: DENY, mode: dryRun, rules: [{name: no-get, to: {methods:"
                + " [GET]}}]}");

    Decision risk = rules.decide(call(RISK, "POST", "/orders"));
    assertThat(risk.allowed()).isTrue();
    assertThat(risk.verdict()).isEqualTo(Decision.Verdict.NO_POLICY);
    assertThat(risk.dryRunDenials())
        .containsExactly(new Decision.DryRunDenial("try-allow", -1, ""));
    assertThat(risk.dryRunDenials().getFirst().decidedBy()).isEqualTo("try-allow (default deny)");

    Decision get = rules.decide(call(GATEWAY, "GET", "/orders"));
    assertThat(get.allowed()).isTrue();
    assertThat(get.dryRunDenials())
        .containsExactly(new Decision.DryRunDenial("try-deny", 0, "no-get"));

    assertThat(rules.decide(call(GATEWAY, "POST", "/orders"))).isSameAs(Decision.NO_POLICY);
  }

  @Test
  void aDryRunAllowPolicyChangesNothingWhereAnEnforcedOneAllows() {
    AuthorizationRules rules =
        rules(
            "enforced",
            "{service: orders, rules: [{from: {services: [risk]}}]}",
            "try-allow",
            "{service: orders, mode: dryRun, rules: [{from: {services: [gateway]}}]}");

    assertThat(rules.decide(call(RISK, "GET", "/")).dryRunDenials()).isEmpty();
    assertThat(rules.decide(call(null, "GET", "/")).dryRunDenials())
        .as("already denied: nothing to report")
        .isEmpty();
  }

  @Test
  void identitiesMatchExactlyOrByPrefixAndEnvsAndServicesByTheirParts() {
    AuthorizationRules rules =
        rules(
            "p",
            "{service: orders, rules: [{name: exact, from: {identities: [\""
                + RISK
                + "\"]}},"
                + " {name: prod, from: {identities: [\"spiffe://prod.bank/env/prod/*\"], services:"
                + " [gateway]}}, {name: uat, from: {envs: [uat]}}]}");

    assertThat(rules.decide(call(RISK, "GET", "/")).ruleName()).isEqualTo("exact");
    assertThat(rules.decide(call(GATEWAY, "GET", "/")).ruleName()).isEqualTo("prod");
    assertThat(rules.decide(call(UAT_GATEWAY, "GET", "/")).ruleName()).isEqualTo("uat");
    assertThat(rules.decide(call("spiffe://prod.bank/env/prod/svc/ops", "GET", "/")).allowed())
        .isFalse();
    assertThat(rules.decide(call("spiffe://prod.bank.evil/env/prod/svc/gateway", "GET", "/")))
        .as("a prefix ends at a '/', so another trust domain does not share it")
        .isSameAs(Decision.DEFAULT_DENY);
  }

  @Test
  void exclusionsCatchAPlaintextPeerInADenyRuleButNeverAdmitOneInAnAllowRule() {
    AuthorizationRules deny =
        rules(
            "only-gateway",
            "{service: orders, action: DENY, rules: [{from: {notServices: [gateway]}}]}");
    assertThat(deny.decide(call(GATEWAY, "GET", "/")).allowed()).isTrue();
    assertThat(deny.decide(call(RISK, "GET", "/")).allowed()).isFalse();
    assertThat(deny.decide(call(null, "GET", "/")).allowed()).isFalse();

    AuthorizationRules allow =
        rules(
            "not-risk", "{service: orders, rules: [{from: {notIdentities: [\"" + RISK + "\"]}}]}");
    assertThat(allow.decide(call(GATEWAY, "GET", "/")).allowed()).isTrue();
    assertThat(allow.decide(call(RISK, "GET", "/")).allowed()).isFalse();
    assertThat(allow.decide(call(null, "GET", "/")).allowed()).isFalse();
  }

  @Test
  void caseTricksFailSafeDenyRulesIgnoreCaseAllowRulesDoNot() {
    AuthorizationRules rules =
        rules(
            "allow",
            "{service: orders, rules: [{to: {methods: [GET], paths: [/public/*]}}]}",
            "deny",
            "{service: orders, action: DENY, rules: [{to: {paths: [/public/admin, /public/secret/*]}},"
                + " {to: {methods: [DELETE]}}]}");

    assertThat(rules.decide(call(null, "GET", "/public/x")).allowed()).isTrue();
    assertThat(rules.decide(call(null, "GET", "/PUBLIC/x")).allowed()).isFalse();
    assertThat(rules.decide(call(null, "get", "/public/x")).allowed()).isFalse();
    assertThat(rules.decide(call(null, "GET", "/public/ADMIN")).verdict())
        .isEqualTo(Decision.Verdict.DENIED_BY_RULE);
    assertThat(rules.decide(call(null, "GET", "/public/Secret/key")).verdict())
        .isEqualTo(Decision.Verdict.DENIED_BY_RULE);
    assertThat(rules.decide(call(null, "delete", "/public/x")).verdict())
        .isEqualTo(Decision.Verdict.DENIED_BY_RULE);
  }

  @Test
  void portsMatchByNameOrNumberAndAnUnknownPortOnlyADenyRule() {
    AuthorizationRules rules =
        rules(
            "fix",
            "{service: orders, rules: [{from: {services: [gateway]}, to: {ports: [fix]}}, {to:"
                + " {ports: [8080]}}]}",
            "no-admin-port",
            "{service: orders, action: DENY, rules: [{to: {ports: [admin]}}]}");
    Caller gateway = Caller.of(Optional.of(GATEWAY));

    assertThat(rules.decide(AccessRequest.tunnel(gateway, "fix", 9878)).allowed()).isTrue();
    assertThat(rules.decide(AccessRequest.tunnel(Caller.UNVERIFIED, "fix", 9878)).allowed())
        .isFalse();
    assertThat(rules.decide(AccessRequest.tunnel(Caller.UNVERIFIED, "http", 8080)).ruleName())
        .isEmpty();
    assertThat(rules.decide(AccessRequest.tunnel(Caller.UNVERIFIED, "http", 8080)).rule())
        .isEqualTo(1);
    assertThat(rules.decide(AccessRequest.tunnel(gateway, "admin", 9000)).verdict())
        .isEqualTo(Decision.Verdict.DENIED_BY_RULE);
    assertThat(rules.decide(AccessRequest.tunnel(gateway, "", 0)).verdict())
        .as("an unknown port is any port to a DENY rule")
        .isEqualTo(Decision.Verdict.DENIED_BY_RULE);
  }

  @Test
  void headerConditionsAllowOnlyWhenEveryValueIsWantedAndDenyWhenAnyIs() {
    AuthorizationRules rules =
        rules(
            "desks",
            "{service: orders, rules: [{when: [{header: x-desk, values: [fx, rates]}, {header:"
                + " x-trader, present: true}]}]}",
            "no-test",
            "{service: orders, action: DENY, rules: [{when: [{header: x-env, values: [test]}]}]}");

    assertThat(
            rules
                .decide(
                    call(
                        null,
                        "GET",
                        "/",
                        Map.of("x-desk", List.of("fx"), "x-trader", List.of("a"))))
                .allowed())
        .isTrue();
    assertThat(rules.decide(call(null, "GET", "/", Map.of("x-desk", List.of("fx")))).allowed())
        .as("x-trader missing")
        .isFalse();
    assertThat(
            rules
                .decide(
                    call(
                        null,
                        "GET",
                        "/",
                        Map.of("x-desk", List.of("fx", "equities"), "x-trader", List.of("a"))))
                .allowed())
        .as("a second x-desk the rule does not allow")
        .isFalse();
    assertThat(
            rules
                .decide(
                    call(
                        null,
                        "GET",
                        "/",
                        Map.of(
                            "x-desk", List.of("fx"),
                            "x-trader", List.of("a"),
                            "x-env", List.of("prod, TEST"))))
                .verdict())
        .as("one comma-separated element, in any case, is enough for a DENY rule")
        .isEqualTo(Decision.Verdict.DENIED_BY_RULE);
  }

  @Test
  void policiesAreTakenByNameWhateverTheirOrder() {
    String a = "{service: orders, rules: [{to: {methods: [GET]}}]}";
    String b = "{service: orders, rules: [{}]}";
    assertThat(rules("a", a, "b", b).decide(call(null, "GET", "/")).policy()).isEqualTo("a");
    assertThat(rules("b", b, "a", a).decide(call(null, "GET", "/")).policy()).isEqualTo("a");
    assertThat(rules("b", b, "a", a)).isEqualTo(rules("a", a, "b", b));
  }

  @Test
  void theAuthorizerCountsDecisionsByPolicy() {
    Authorizer authorizer = new Authorizer();
    assertThat(authorizer.active()).isFalse();
    authorizer.update(
        rules(
            "gw",
            "{service: orders, rules: [{from: {services: [gateway]}}]}",
            "try",
            "{service: orders, action: DENY, mode: dryRun, rules: [{to: {methods: [GET]}}]}"));

    authorizer.decide(call(GATEWAY, "GET", "/"));
    authorizer.decide(call(GATEWAY, "POST", "/"));
    authorizer.decide(call(RISK, "POST", "/"));

    assertThat(authorizer.counters().get("gw").allowed()).isEqualTo(2);
    assertThat(authorizer.counters().get("try").dryRunDenied()).isEqualTo(1);
    assertThat(authorizer.counters().get("default").denied()).isEqualTo(1);
  }
}
