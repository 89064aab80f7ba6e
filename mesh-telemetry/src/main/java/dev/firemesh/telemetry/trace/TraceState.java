package dev.firemesh.telemetry.trace;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The W3C {@code tracestate} list: vendors' opaque entries, carried unchanged from hop to hop. The
 * sidecar adds no entry of its own; it only checks the list so it never forwards a malformed one.
 *
 * <p>Grammar (W3C Trace Context Level 1): at most 32 members separated by commas, optional spaces
 * and tabs around each, empty members allowed and ignored; a key is {@code lcalpha 0*255(lcalpha /
 * DIGIT / "_" / "-" / "*" / "/")}, or {@code tenant@system} with a tenant of 1 to 241 characters
 * starting with a letter or digit and a system of 1 to 14 starting with a letter; a value is 1 to
 * 256 printable ASCII characters other than {@code ,} and {@code =}, not ending in a space; a key
 * appears once. A list that breaks any of these is invalid as a whole.
 */
public record TraceState(List<Member> members) {
  public static final TraceState EMPTY = new TraceState(List.of());

  static final int MAX_MEMBERS = 32;

  /** One {@code key=value} entry. */
  public record Member(String key, String value) {
    public Member {
      if (!validKey(key) || !validValue(value)) {
        throw new IllegalArgumentException(
            "not a valid tracestate member: " + key + "=" + value + " (see TraceState's grammar)");
      }
    }

    @Override
    public String toString() {
      return key + "=" + value;
    }
  }

  public TraceState {
    members = List.copyOf(members);
    if (members.size() > MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "a tracestate holds at most " + MAX_MEMBERS + " members, got " + members.size());
    }
    Set<String> keys = new HashSet<>();
    for (Member member : members) {
      if (!keys.add(member.key())) {
        throw new IllegalArgumentException("tracestate key " + member.key() + " appears twice");
      }
    }
  }

  /**
   * The list a header value holds (several header fields joined with commas, as HTTP combines
   * them), or empty if it is invalid. An empty or blank value is a valid empty list.
   */
  public static Optional<TraceState> parse(String header) {
    if (header.isEmpty()) {
      return Optional.of(EMPTY);
    }
    List<Member> members = new ArrayList<>(4);
    Set<String> keys = new HashSet<>(4);
    int start = 0;
    int length = header.length();
    while (start <= length) {
      int comma = header.indexOf(',', start);
      int end = comma < 0 ? length : comma;
      int from = start;
      int to = end;
      while (from < to && isOws(header.charAt(from))) {
        from++;
      }
      while (to > from && isOws(header.charAt(to - 1))) {
        to--;
      }
      if (from < to) {
        int equals = header.indexOf('=', from);
        if (equals < 0 || equals >= to) {
          return Optional.empty();
        }
        String key = header.substring(from, equals);
        String value = header.substring(equals + 1, to);
        if (!validKey(key) || !validValue(value) || members.size() == MAX_MEMBERS) {
          return Optional.empty();
        }
        if (!keys.add(key)) {
          return Optional.empty();
        }
        members.add(new Member(key, value));
      }
      if (comma < 0) {
        break;
      }
      start = comma + 1;
    }
    return Optional.of(members.isEmpty() ? EMPTY : new TraceState(members));
  }

  public boolean isEmpty() {
    return members.isEmpty();
  }

  /**
   * The header value: members joined by commas, without optional whitespace ({@code ""} if none).
   */
  public String header() {
    if (members.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (Member member : members) {
      if (!out.isEmpty()) {
        out.append(',');
      }
      out.append(member.key()).append('=').append(member.value());
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return header();
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  static boolean validKey(String key) {
    int at = key.indexOf('@');
    if (at < 0) {
      return key.length() >= 1
          && key.length() <= 256
          && isLcAlpha(key.charAt(0))
          && restValid(key, 1, key.length());
    }
    // multi-tenant key: tenant-id "@" system-id
    int tenant = at;
    int system = key.length() - at - 1;
    return tenant >= 1
        && tenant <= 241
        && system >= 1
        && system <= 14
        && (isLcAlpha(key.charAt(0)) || isDigit(key.charAt(0)))
        && restValid(key, 1, at)
        && isLcAlpha(key.charAt(at + 1))
        && restValid(key, at + 2, key.length());
  }

  private static boolean restValid(String key, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = key.charAt(i);
      if (!(isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  static boolean validValue(String value) {
    int length = value.length();
    if (length < 1 || length > 256 || value.charAt(length - 1) == ' ') {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
        return false;
      }
    }
    return true;
  }

  private static boolean isLcAlpha(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
