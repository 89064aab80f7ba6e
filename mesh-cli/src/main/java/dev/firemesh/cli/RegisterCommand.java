package dev.firemesh.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.codec.Durations;
import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.workload.admin.AdminCallException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "register",
    description = {
      "Register a service instance under a lease.",
      "With --keep-alive the lease is renewed until this command is stopped, which then deregisters it."
    },
    footer = {
      "%nExamples:",
      "  firemesh register --service orders --id orders-1 --address 127.0.0.1 --port 9001 -l version=v1",
      "  firemesh register --service orders --id orders-2 --port 9002 -l version=v2 --ttl 10s --keep-alive"
    })
final class RegisterCommand extends AdminCommand {
  @Option(names = "--service", required = true, paramLabel = "NAME")
  String service;

  @Option(names = "--id", required = true, paramLabel = "INSTANCE_ID")
  String instanceId;

  @Option(
      names = "--address",
      defaultValue = "127.0.0.1",
      paramLabel = "HOST",
      description = "Default: ${DEFAULT-VALUE}.")
  String address;

  @Option(names = "--port", required = true, paramLabel = "PORT")
  int port;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "KEY=VALUE",
      description = "Repeatable: version=v2, region=eu-west, zone=a.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--ttl",
      defaultValue = "30s",
      paramLabel = "DURATION",
      description = "Lease time to live, e.g. 10s, 1m (default: ${DEFAULT-VALUE}).")
  String ttl;

  @Option(
      names = "--keep-alive",
      description = "Renew the lease every third of the TTL until stopped; deregister on exit.")
  boolean keepAlive;

  @Override
  int run(AdminClient client) {
    Duration lease =
        Durations.parse(ttl)
            .orElseThrow(
                () ->
                    new BadInputException(
                        "--ttl: expected a duration such as 500ms, 10s, 5m or 1h, got \""
                            + ttl
                            + "\""));
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("service", service)
        .put("instanceId", instanceId)
        .put("address", address)
        .put("port", port);
    ObjectNode labelNode = body.putObject("labels");
    labels.forEach(labelNode::put);
    body.put("ttlSeconds", Math.max(1, lease.toSeconds()));
    var answer = client.post("/v1/instances", body);
    if (!printedAsData(answer)) {
      out.line(
          "registered "
              + answer.path("service").asText()
              + "/"
              + answer.path("instanceId").asText()
              + " at "
              + answer.path("address").asText()
              + ":"
              + answer.path("port").asInt()
              + ", lease until "
              + answer.path("expiresAt").asText());
    }
    if (!keepAlive) {
      return 0;
    }
    String leasePath =
        "/v1/instances/" + AdminClient.encode(service) + "/" + AdminClient.encode(instanceId);
    Thread main = Thread.currentThread();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  main.interrupt();
                  try {
                    client.delete(leasePath);
                  } catch (AdminCallException e) {
                    // Best effort: the lease lapses by itself within the TTL.
                  }
                }));
    long periodMillis = Math.max(200, lease.toMillis() / 3);
    while (true) {
      try {
        Thread.sleep(periodMillis);
      } catch (InterruptedException e) {
        return 0;
      }
      try {
        client.put(leasePath + "/lease", JsonNodeFactory.instance.objectNode());
      } catch (AdminCallException e) {
        if (e.status() == 404) {
          // The lease lapsed (e.g. the control plane was down too long): register again.
          client.post("/v1/instances", body);
        } else {
          spec.commandLine().getErr().println("warning: lease renewal failed: " + e.getMessage());
        }
      }
    }
  }
}
