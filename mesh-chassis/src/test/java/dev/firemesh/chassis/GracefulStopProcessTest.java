package dev.firemesh.chassis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chassis service in a process of its own, stopped with SIGTERM as a supervisor stops it. */
class GracefulStopProcessTest {
  @TempDir Path dir;
  private Process process;

  @AfterEach
  void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void sigtermFinishesTheRequestInFlightAndExitsZeroWithJsonLogs() throws Exception {
    Path ready = dir.resolve("ready");
    Path log = dir.resolve("out.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.addAll(List.of(SampleService.class.getName(), ready.toString()));
    process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(ready) || !process.isAlive());
    assertThat(process.isAlive()).as("the service started; its output: %s", read(log)).isTrue();
    int port = Integer.parseInt(Files.readString(ready).strip());
    HttpClient client = HttpClient.newHttpClient();
    CompletableFuture<HttpResponse<String>> slow =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow?ms=1500"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Thread.sleep(300); // the request is in the service before the signal

    new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();

    assertThat(slow.get(20, TimeUnit.SECONDS).body()).isEqualTo("slow done");
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    List<String> lines = Files.readAllLines(log);
    ObjectMapper json = new ObjectMapper();
    List<String> messages = new ArrayList<>();
    for (String line : lines) {
      JsonNode parsed = json.readTree(line); // every line is JSON
      assertThat(parsed.get("service").asText()).isEqualTo("sample");
      messages.add(parsed.get("message").asText());
    }
    assertThat(messages).anyMatch(m -> m.startsWith("started service=sample"));
    assertThat(messages).anyMatch(m -> m.startsWith("stopped service=sample"));
  }

  private static String read(Path file) throws Exception {
    return Files.exists(file) ? Files.readString(file) : "";
  }
}
