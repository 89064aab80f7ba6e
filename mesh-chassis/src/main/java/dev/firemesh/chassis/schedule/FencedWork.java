package dev.firemesh.chassis.schedule;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done in a firing's fenced transaction, on its connection (do not commit or close it). */
@FunctionalInterface
public interface FencedWork<T> {
  T run(Connection connection) throws SQLException;
}
