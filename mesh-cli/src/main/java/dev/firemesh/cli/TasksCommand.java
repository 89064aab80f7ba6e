package dev.firemesh.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.schedule.Scheduler;
import dev.firemesh.chassis.schedule.TaskStatus;
import dev.firemesh.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

@Command(
    name = "tasks",
    description = {
      "A chassis service's scheduled tasks: owners, leases, last and next firings, outcomes.",
      "Read from the service's own PostgreSQL (--store URL, or the one `firemesh demo` lists in"
          + " <data-dir>/service-stores.json): each task's schedule, the instance holding its lease"
          + " with the fencing token and lease end, the last firing with its outcome, the next"
          + " firing, and the firings run so far.",
      "An owner is shown only while its lease lasts (by the database's clock); '-' means no"
          + " instance holds the task now."
    },
    footer = {
      "%nExamples:",
      "  firemesh tasks --service risk",
      "  firemesh tasks --service risk -o json",
      "  firemesh tasks --service risk --store"
          + " 'postgresql://postgres@127.0.0.1:5432/risk?passwordFile=/secrets/pg'"
    })
final class TasksCommand extends StoreCommand {
  private static final int ERROR_CHARS = 80;

  @Override
  int run(Database database) {
    List<TaskStatus> tasks = Scheduler.status(database);
    ObjectNode answer = NODES.objectNode();
    ArrayNode items = answer.putArray("tasks");
    for (TaskStatus t : tasks) {
      ObjectNode item = items.addObject();
      item.put("task", t.task());
      item.put("kind", t.kind().label());
      item.put("spec", t.spec());
      item.put("owner", t.owner().orElse(null));
      item.put("token", t.token());
      item.put("leaseUntil", nullable(t.leaseUntil()));
      item.put("lastFiring", nullable(t.lastFiring()));
      item.put("lastStarted", nullable(t.lastStarted()));
      item.put("lastFinished", nullable(t.lastFinished()));
      item.put("lastOutcome", t.lastOutcome().orElse(null));
      item.put("lastError", t.lastError().orElse(null));
      item.put("nextFiring", nullable(t.nextFiring()));
      item.put("runs", t.runs());
      item.put("retryOf", nullable(t.retryOf()));
      item.put("attempt", t.attempt());
    }
    if (printedAsData(answer)) {
      return 0;
    }
    if (tasks.isEmpty()) {
      out.line("no scheduled tasks in the store of " + service);
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    for (TaskStatus t : tasks) {
      rows.add(
          List.of(
              t.task(),
              t.kind().label(),
              t.spec(),
              t.owner().orElse("-"),
              Long.toString(t.token()),
              time(t.leaseUntil()),
              time(t.lastFiring()),
              t.lastOutcome().orElse("-"),
              time(t.nextFiring())
                  + t.retryOf()
                      .map(f -> " (attempt " + t.attempt() + " at " + time(f) + ")")
                      .orElse(""),
              Long.toString(t.runs()),
              t.lastError().map(TasksCommand::cut).orElse("")));
    }
    out.table(
        List.of(
            "TASK",
            "KIND",
            "SCHEDULE",
            "OWNER",
            "TOKEN",
            "LEASE UNTIL (UTC)",
            "LAST FIRING (UTC)",
            "LAST OUTCOME",
            "NEXT FIRING (UTC)",
            "RUNS",
            "LAST ERROR"),
        rows);
    return 0;
  }

  private static String nullable(Optional<Instant> instant) {
    return instant.map(StoreCommand::time).orElse(null);
  }

  private static String cut(String error) {
    String line = error.replace('\n', ' ');
    return line.length() <= ERROR_CHARS ? line : line.substring(0, ERROR_CHARS - 3) + "...";
  }
}
