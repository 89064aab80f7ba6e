package dev.firemesh.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.Chassis;
import dev.firemesh.chassis.config.Range;
import dev.firemesh.chassis.config.ServiceConfig;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chassis service as a user writes one, run by the end-to-end tests as a process of its own with
 * the {@code FIREMESH_*} environment {@code firemesh run} would give it. {@code GET /config} shows
 * the configuration in force and how many times its listener fired. Writes its HTTP port to the
 * file named by its one argument once started.
 */
public final class ChassisApp {
  private ChassisApp() {}

  /** The service's configuration, with defaults in code. */
  public record SampleConfig(
      @Range(min = 1, max = 1_000_000) long maxOrderQuantity,
      boolean killSwitch,
      String greeting,
      List<String> venues) {
    static final SampleConfig DEFAULTS = new SampleConfig(100, false, "hello", List.of("XLON"));
  }

  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    AtomicInteger changes = new AtomicInteger();
    Chassis chassis =
        Chassis.builder()
            .config(SampleConfig.class, SampleConfig.DEFAULTS)
            .drainDelay(Duration.ofMillis(200))
            .routes(
                context -> {
                  ServiceConfig<SampleConfig> config = context.config(SampleConfig.class);
                  config.onChange((before, after, revision) -> changes.incrementAndGet());
                  return HttpRoutes.builder()
                      .get(
                          "/config",
                          request -> {
                            var current = config.current();
                            ObjectNode body = json.createObjectNode();
                            body.put("revision", current.revision());
                            body.put("origin", current.origin().name());
                            body.put("changes", changes.get());
                            body.set("value", json.valueToTree(current.value()));
                            body.put("maxOrderQuantitySource", config.source("maxOrderQuantity"));
                            return HttpResponse.json(200, body.toString());
                          })
                      .build();
                })
            .start();
    Path ready = Path.of(args[args.length - 1]);
    Path partial = ready.resolveSibling(ready.getFileName() + ".tmp");
    Files.writeString(partial, Integer.toString(chassis.address().getPort()));
    Files.move(partial, ready);
    chassis.awaitStop();
  }
}
