package dev.firemesh.proxy.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.authz.Caller;
import dev.firemesh.traffic.authz.Decision;
import org.junit.jupiter.api.Test;

/** A flood of denials writes a bounded number of lines and counts the rest. */
class AuthorizationLogTest {

  @Test
  void linesBeyondTheBudgetAreCountedNotWritten() {
    AuthorizationLog log = new AuthorizationLog();
    int flood = AuthorizationLog.LINES_PER_SECOND + 500;
    for (int i = 0; i < flood; i++) {
      log.denied(Caller.UNVERIFIED, "GET", "/admin", "http", Decision.DEFAULT_DENY);
    }
    // a second has not passed on any sane machine, but if it did the count only shrinks
    assertThat(log.suppressed()).isBetween(1L, 500L);
  }
}
