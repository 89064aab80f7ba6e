package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.control.ControlPlaneFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A chassis service as a process of its own, given the {@code FIREMESH_*} environment a launcher
 * gives it (a join token of its own, env prod). Its main writes its HTTP port into the ready file
 * named by its last argument.
 */
final class ChassisProcess {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private ChassisProcess() {}

  /** The process and its HTTP port on 127.0.0.1. */
  record Started(Process process, int port) {}

  /**
   * @param extraEnv more variables (FIREMESH_INBOUND, FIREMESH_OUTBOUND, FIREMESH_APP_PORT...)
   * @param args the main's arguments before the ready file
   */
  static Started start(
      ControlPlaneProcess control,
      int xdsPort,
      Path dir,
      String service,
      String instance,
      Class<?> main,
      List<String> args,
      Map<String, String> extraEnv)
      throws Exception {
    Files.createDirectories(dir);
    Path ready = dir.resolve("app.ready");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx128m", "-cp", System.getProperty("java.class.path")));
    command.add(main.getName());
    command.addAll(args);
    command.add(ready.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("app.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("FIREMESH_SERVICE", service);
    env.put("FIREMESH_ENV", "prod");
    env.put("FIREMESH_INSTANCE_ID", instance);
    env.put("FIREMESH_CONTROL_PLANE", control.adminUrl().toString());
    env.put(
        "FIREMESH_CA_FILE", control.dataDir().resolve(ControlPlaneFiles.TRUST_BUNDLE).toString());
    env.put("FIREMESH_XDS", "127.0.0.1:" + xdsPort);
    env.put(
        "FIREMESH_JOIN_TOKEN", Files.readString(Enrolment.token(control, dir, service)).strip());
    env.put("FIREMESH_STATE_DIR", dir.toString());
    env.putAll(extraEnv);
    Process app = builder.start();
    await().atMost(PATIENCE).until(() -> Files.exists(ready) || !app.isAlive());
    assertThat(app.isAlive())
        .as("%s started; its output:%n%s", instance, Files.readString(dir.resolve("app.log")))
        .isTrue();
    return new Started(app, Integer.parseInt(Files.readString(ready).strip()));
  }
}
