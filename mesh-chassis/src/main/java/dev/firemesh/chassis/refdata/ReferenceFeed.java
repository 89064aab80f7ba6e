package dev.firemesh.chassis.refdata;

import java.time.Duration;

/**
 * The owner's HTTP endpoints, as the owner serves them and a replica calls them. The shapes of the
 * answers are in docs/architecture.md ("Reference data").
 */
public final class ReferenceFeed {
  public static final String BASE = "/firemesh/refdata/v1";

  /** {@code GET}: every set (or those named by {@code sets=a,b}) at one version. */
  public static final String SNAPSHOT = BASE + "/snapshot";

  /** {@code GET ?after=V&waitMs=W[&sets=a,b]}: the versions after V, waiting up to W for one. */
  public static final String CHANGES = BASE + "/changes";

  /** {@code POST}: a command of upserts and deletes, all or nothing. */
  public static final String COMMANDS = BASE + "/commands";

  /** The longest a changes request waits; a longer {@code waitMs} is cut to this. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(30);

  /** The most changes one answer carries (a single larger command is sent whole). */
  public static final int MAX_CHANGES = 1000;

  /** The PostgreSQL channel the owner notifies on commit, with the new head as payload. */
  public static final String CHANNEL = "firemesh_refdata";

  private ReferenceFeed() {}
}
