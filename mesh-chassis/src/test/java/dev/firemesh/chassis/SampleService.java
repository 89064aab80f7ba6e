package dev.firemesh.chassis;

import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A service as a user writes one, run as a process of its own by the tests: {@code SampleService
 * READY_FILE}. It writes its port into the file once started; {@code GET /slow?ms=N} answers after
 * N ms.
 */
public final class SampleService {
  private SampleService() {}

  public static void main(String[] args) throws Exception {
    Chassis chassis =
        Chassis.builder()
            .service("sample")
            .environment("test")
            .standalone()
            .drainDelay(Duration.ofMillis(200))
            .routes(
                HttpRoutes.builder()
                    .get(
                        "/slow",
                        request -> {
                          Thread.sleep(Long.parseLong(request.queryParam("ms").orElse("0")));
                          return HttpResponse.text(200, "slow done");
                        })
                    .build())
            .start();
    Path ready = Path.of(args[0]);
    Files.writeString(
        ready.resolveSibling(ready.getFileName() + ".tmp"), "" + chassis.address().getPort());
    Files.move(ready.resolveSibling(ready.getFileName() + ".tmp"), ready);
    chassis.awaitStop();
  }
}
