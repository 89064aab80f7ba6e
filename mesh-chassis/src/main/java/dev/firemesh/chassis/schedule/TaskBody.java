package dev.firemesh.chassis.schedule;

/**
 * What a task does at each firing. Writes that must happen once per firing go through {@link
 * TaskContext#fenced}; a body that throws has its firing recorded as failed (it is not retried).
 */
@FunctionalInterface
public interface TaskBody {
  void run(TaskContext context) throws Exception;
}
