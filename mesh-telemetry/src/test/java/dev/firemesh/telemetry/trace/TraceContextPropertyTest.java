package dev.firemesh.telemetry.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The headers come from callers the sidecar does not control: no string makes parsing throw, and
 * what the sidecar writes it reads back unchanged, so a trace survives any number of hops.
 */
class TraceContextPropertyTest {

  @Property(tries = 2000)
  void noHeaderValueMakesParsingThrow(
      @ForAll("headerLike") String traceparent, @ForAll("headerLike") String tracestate) {
    Optional<TraceContext> context = TraceContext.parse(traceparent, tracestate);
    context.ifPresent(
        c -> {
          assertThat(c.traceparent()).hasSize(55);
          assertThat(TraceContext.parse(c.traceparent(), c.tracestate().orElse(""))).contains(c);
        });
    TraceState.parse(tracestate);
  }

  @Property(tries = 2000)
  void aValidContextFormatsAndParsesBackToItself(@ForAll("contexts") TraceContext context) {
    assertThat(TraceContext.parse(context.traceparent(), context.tracestate().orElse(null)))
        .contains(context);
  }

  @Property(tries = 1000)
  void aTracestateWithWhitespaceAndEmptyMembersReadsAsTheSameList(
      @ForAll("states") TraceState state,
      @ForAll("leading") String leading,
      @ForAll("separators") List<String> separators) {
    StringBuilder header = new StringBuilder(leading);
    for (int i = 0; i < state.members().size(); i++) {
      header.append(state.members().get(i)).append(separators.get(i % separators.size()));
    }
    assertThat(TraceState.parse(header.toString())).contains(state);
  }

  @Property(tries = 1000)
  void aTraceparentWithOneCharacterOutOfPlaceIsRefused(
      @ForAll("contexts") TraceContext context,
      @ForAll("positions") int position,
      @ForAll("headerChars") char replacement) {
    char[] header = context.traceparent().toCharArray();
    header[position] = replacement;
    Optional<TraceContext> parsed = TraceContext.parse(new String(header), null);
    // Valid only if it is still lower-case hex where hex belongs and dashes where dashes belong.
    boolean dash = position == 2 || position == 35 || position == 52;
    boolean stillWellFormed =
        dash
            ? replacement == '-'
            : Character.digit(replacement, 16) >= 0
                && replacement == Character.toLowerCase(replacement);
    if (!stillWellFormed) {
      assertThat(parsed).isEmpty();
    }
  }

  @Provide
  Arbitrary<String> headerLike() {
    Arbitrary<String> near =
        Arbitraries.strings().withChars("0123456789abcdefABCDEF-=, \t@*/_x").ofMaxLength(80);
    Arbitrary<String> mutated =
        contexts()
            .flatMap(
                c ->
                    Arbitraries.integers()
                        .between(0, 60)
                        .map(
                            n ->
                                n < 55
                                    ? c.traceparent().substring(0, n)
                                    : c.traceparent() + "-x".repeat(n - 54)));
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(120),
        near,
        mutated,
        states().map(TraceState::header),
        Arbitraries.just(""));
  }

  @Provide
  Arbitrary<TraceContext> contexts() {
    Arbitrary<TraceId> traceIds =
        Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
            .filter((h, l) -> h != 0 || l != 0)
            .as(TraceId::new);
    Arbitrary<SpanId> spanIds = Arbitraries.longs().filter(v -> v != 0).map(SpanId::new);
    return Combinators.combine(traceIds, spanIds, Arbitraries.integers().between(0, 3), states())
        .as(TraceContext::new);
  }

  @Provide
  Arbitrary<TraceState> states() {
    Arbitrary<String> simpleKey =
        Combinators.combine(
                Arbitraries.chars().range('a', 'z'),
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .withChars("0123456789_-*/")
                    .ofMaxLength(20))
            .as((first, rest) -> first + rest);
    Arbitrary<String> tenantKey =
        Combinators.combine(
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .numeric()
                    .ofMinLength(1)
                    .ofMaxLength(10),
                Arbitraries.chars().range('a', 'z'),
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .numeric()
                    .withChars("_-*/")
                    .ofMaxLength(13))
            .as((tenant, first, system) -> tenant + "@" + first + system);
    Arbitrary<String> value =
        Combinators.combine(
                Arbitraries.strings()
                    .withCharRange(' ', '~')
                    .excludeChars(',', '=')
                    .ofMaxLength(40),
                Arbitraries.chars().range('!', '~').filter(c -> c != ',' && c != '='))
            .as((body, last) -> body + last);
    Arbitrary<TraceState.Member> member =
        Combinators.combine(Arbitraries.oneOf(simpleKey, tenantKey), value)
            .as(TraceState.Member::new);
    return member
        .list()
        .ofMaxSize(TraceState.MAX_MEMBERS)
        .uniqueElements(TraceState.Member::key)
        .map(TraceState::new);
  }

  /** Between members (and after the last): at least one comma, optional whitespace. */
  @Provide
  Arbitrary<List<String>> separators() {
    return Arbitraries.of(",", " , ", ",\t", ", ,", ",,,", "\t,  ,\t")
        .list()
        .ofMinSize(1)
        .ofMaxSize(4);
  }

  @Provide
  Arbitrary<String> leading() {
    return Arbitraries.of("", " ", "\t", ",", " , ,\t");
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 54);
  }

  @Provide
  Arbitrary<Character> headerChars() {
    return Arbitraries.chars().with("0123456789abcdefABCDEFg- x\u00e9".toCharArray());
  }
}
