package dev.firemesh.cli;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.AdminHttp;
import dev.firemesh.workload.admin.PlainJson;
import dev.firemesh.workload.identity.Enrolment;
import dev.firemesh.workload.identity.IdentityAgent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a workload started from the CLI ({@code firemesh proxy}, {@code run}, {@code svid}) gets its
 * identity: with the join token it was given, or else with a one-use token it asks for on the
 * operator credentials it runs with (its data directory's admin token, or an operator's
 * certificate), which is what a person starting it by hand would otherwise do with {@code firemesh
 * token create}. That token is issued, audited and spent like any other. The enrolment itself is
 * mesh-workload's {@link Enrolment}, which a chassis service uses too.
 */
final class WorkloadEnrolment {
  // Long enough for a control plane that is slow to answer; the token is spent at once anyway.
  private static final Duration OPERATOR_TOKEN_TTL = Duration.ofMinutes(5);

  private final Connection connection;
  private final String service;
  private final String env;

  WorkloadEnrolment(Connection connection, String service, String env) {
    this.connection = connection;
    this.service = service;
    this.env = env;
  }

  /**
   * Called before anything binds, so that a workload with no way to an identity exits at once,
   * saying what to do.
   *
   * @throws BadInputException if there is no join token and no operator credentials to ask with
   */
  void checkSource(Optional<String> joinToken) {
    if (joinToken.isEmpty()) {
      operatorCredentials();
    }
  }

  /**
   * Enrols with {@code joinToken}, or one asked for on operator credentials. A control plane that
   * cannot be reached yet (started at the same time) is waited for a while; a refusal is final.
   *
   * @throws BadInputException for a bad service or env, or no way to an identity
   * @throws AdminCallException if the control plane refuses
   */
  IdentityAgent enrol(Optional<String> joinToken) {
    String token = joinToken.orElseGet(this::operatorJoinToken);
    // No admin token: enrolment is open, authenticated by the join token.
    AdminHttp controlPlane = connection.workloadHttp();
    // Enrolment.enrol's steps, composed here so that only a bad --service or --env (and not, say,
    // a malformed answer) becomes bad input, exit 2.
    return Enrolment.patiently(
        "enrol this workload",
        () -> IdentityAgent.enrol(controlPlane, identity(controlPlane), token, Clock.systemUTC()));
  }

  private SpiffeId identity(AdminHttp controlPlane) {
    try {
      return Enrolment.identity(controlPlane, service, env);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--env/--service: " + e.getMessage());
    }
  }

  private String operatorJoinToken() {
    AdminHttp operator = operatorCredentials();
    Map<String, Object> ask = new LinkedHashMap<>();
    ask.put("service", service);
    ask.put("env", env);
    ask.put("ttlSeconds", OPERATOR_TOKEN_TTL.toSeconds());
    ask.put("uses", 1);
    byte[] request = PlainJson.compact(ask).getBytes(StandardCharsets.UTF_8);
    return Enrolment.patiently(
        "issue this workload a join token",
        () -> {
          byte[] answer = operator.call("POST", "/v1/tokens", request);
          Object json = PlainJson.parse(new String(answer, StandardCharsets.UTF_8));
          if (PlainJson.member(json, "token") instanceof String token) {
            return token;
          }
          throw new IllegalStateException("the control plane answered no join token: " + json);
        });
  }

  private AdminHttp operatorCredentials() {
    try {
      return connection.http();
    } catch (BadInputException e) {
      throw new BadInputException(
          "this workload has no join token (--join-token-file FILE or FIREMESH_JOIN_TOKEN; make"
              + " one with `firemesh token create --service "
              + service
              + " --env "
              + env
              + "`), and no operator credentials to ask for one with: "
              + e.getMessage());
    }
  }
}
