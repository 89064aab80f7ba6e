package dev.firemesh.chassis.refdata.owner;

import dev.firemesh.chassis.refdata.ReferenceFeed;
import dev.firemesh.chassis.refdata.owner.ChangeLog.LoggedChange;
import dev.firemesh.chassis.refdata.owner.ChangeLog.LoggedVersion;
import dev.firemesh.chassis.refdata.owner.ChangeLog.Page;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The last versions this owner wrote, in memory, so that replicas following the head are answered
 * without a query each: with many replicas, every commit wakes them all at once. A replica further
 * behind is answered from the database.
 */
final class RecentVersions {
  private final int keepChanges;
  private final Deque<LoggedVersion> versions = new ArrayDeque<>();
  private int changes;

  RecentVersions(int keepChanges) {
    this.keepChanges = keepChanges;
  }

  /** Adds the version just committed, the next after the last one held. */
  synchronized void add(LoggedVersion version) {
    if (!versions.isEmpty() && versions.peekLast().version() != version.version() - 1) {
      clear(); // not the next one (another owner process wrote): keep only what follows on
    }
    versions.addLast(version);
    changes += version.changes().size();
    while (versions.size() > 1 && changes > keepChanges) {
      changes -= versions.removeFirst().changes().size();
    }
  }

  synchronized void clear() {
    versions.clear();
    changes = 0;
  }

  /**
   * The page {@link ChangeLog#page} would answer, if every version after {@code after} up to {@code
   * through} is held here.
   */
  synchronized Optional<Page> page(long after, long through, Set<String> sets) {
    if (after >= through) {
      return Optional.of(new Page(List.of(), through, Optional.empty()));
    }
    if (versions.isEmpty()
        || versions.peekFirst().version() > after + 1
        || versions.peekLast().version() < through) {
      return Optional.empty();
    }
    List<LoggedVersion> page = new ArrayList<>();
    int count = 0;
    for (LoggedVersion version : versions) {
      if (version.version() <= after) {
        continue;
      }
      if (version.version() > through) {
        break;
      }
      List<LoggedChange> wanted =
          sets.isEmpty()
              ? version.changes()
              : version.changes().stream().filter(c -> sets.contains(c.set())).toList();
      if (wanted.isEmpty()) {
        continue;
      }
      if (!page.isEmpty() && count + wanted.size() > ReferenceFeed.MAX_CHANGES) {
        Instant pendingSince = version.committedAt();
        return Optional.of(new Page(page, page.getLast().version(), Optional.of(pendingSince)));
      }
      page.add(
          wanted == version.changes()
              ? version
              : new LoggedVersion(
                  version.version(),
                  version.committedAt(),
                  version.commandId(),
                  version.actor(),
                  version.traceId(),
                  wanted));
      count += wanted.size();
      if (count > ReferenceFeed.MAX_CHANGES) { // one command larger than a page: sent whole
        Optional<Instant> next =
            versions.stream()
                .filter(v -> v.version() > version.version() && v.version() <= through)
                .filter(
                    v ->
                        sets.isEmpty()
                            || v.changes().stream().anyMatch(c -> sets.contains(c.set())))
                .findFirst()
                .map(LoggedVersion::committedAt);
        return Optional.of(new Page(page, next.isPresent() ? version.version() : through, next));
      }
    }
    return Optional.of(new Page(page, through, Optional.empty()));
  }
}
