package dev.firemesh.control.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.control.operator.Principal;
import dev.firemesh.control.operator.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BrowserSessionsTest {
  private static final Principal.Operator VERA = new Principal.Operator("vera", Role.VIEWER);

  /** A clock the test moves. */
  private static final class Hands extends Clock {
    Instant now = Instant.parse("2026-11-27T08:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aSessionHoldsItsOperatorForEightHoursFromLogin() {
    Hands clock = new Hands();
    BrowserSessions sessions = new BrowserSessions(clock);
    BrowserSessions.Opened opened = sessions.open(VERA);

    assertThat(opened.session().expiresAt()).isEqualTo(clock.now.plus(Duration.ofHours(8)));
    clock.now = clock.now.plus(Duration.ofHours(8)).minusSeconds(1);
    assertThat(sessions.find(opened.id())).map(BrowserSessions.Session::operator).contains(VERA);
    clock.now = clock.now.plusSeconds(1);
    assertThat(sessions.find(opened.id())).isEmpty();
    assertThat(sessions.size()).isZero();
  }

  @Test
  void idsAre256RandomBitsAndNeverRepeat() {
    BrowserSessions sessions = new BrowserSessions(Clock.systemUTC());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = sessions.open(VERA).id();
      // 32 bytes in unpadded base64url
      assertThat(id).matches("[A-Za-z0-9_-]{43}");
      ids.add(id);
    }
    assertThat(ids).hasSize(1000);
  }

  @Test
  void closingForgetsTheSessionAndUnknownIdsFindNothing() {
    BrowserSessions sessions = new BrowserSessions(Clock.systemUTC());
    BrowserSessions.Opened opened = sessions.open(VERA);
    sessions.close(opened.id());

    assertThat(sessions.find(opened.id())).isEmpty();
    assertThat(sessions.find("not-a-session")).isEmpty();
    sessions.close("not-a-session");
  }

  @Test
  void theCookieIsHttpOnlySecureStrictAndLastsTheSessionsLifetime() {
    BrowserSessions sessions = new BrowserSessions(Clock.systemUTC());
    BrowserSessions.Opened opened = sessions.open(VERA);

    assertThat(sessions.cookie(opened))
        .isEqualTo(
            "firemesh_session="
                + opened.id()
                + "; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Strict");
    assertThat(BrowserSessions.expiredCookie()).startsWith("firemesh_session=; Path=/; Max-Age=0");
    assertThat(opened.toString()).doesNotContain(opened.id());
  }

  @Test
  void theIdIsFoundAmongOtherCookiesByItsExactName() {
    assertThat(BrowserSessions.idIn(List.of("a=1; firemesh_session=abc; b=2"))).contains("abc");
    assertThat(BrowserSessions.idIn(List.of("firemesh_session=abc"))).contains("abc");
    assertThat(BrowserSessions.idIn(List.of("x_firemesh_session=abc; firemesh_sessions=d")))
        .isEmpty();
    assertThat(BrowserSessions.idIn(List.of("firemesh_session="))).isEmpty();
    assertThat(BrowserSessions.idIn(null)).isEmpty();
  }

  @Test
  void loginsBeyondTheCapAreRefusedUntilSessionsExpire() {
    Hands clock = new Hands();
    BrowserSessions sessions = new BrowserSessions(clock, Duration.ofMinutes(1));
    for (int i = 0; i < BrowserSessions.MAX_SESSIONS; i++) {
      sessions.open(VERA);
    }
    assertThatThrownBy(() -> sessions.open(VERA))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));

    clock.now = clock.now.plus(Duration.ofMinutes(1));
    assertThat(sessions.find(sessions.open(VERA).id())).isPresent();
    assertThat(sessions.size()).isEqualTo(1);
  }
}
