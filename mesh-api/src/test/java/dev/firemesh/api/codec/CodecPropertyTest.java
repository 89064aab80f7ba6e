package dev.firemesh.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.validation.InvalidResourceException;
import dev.firemesh.api.validation.ParsedResource;
import dev.firemesh.api.validation.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the codec: every valid resource survives both formats unchanged, and no input,
 * however broken or hostile, makes the parser fail with anything but {@link
 * InvalidResourceException} or accept something it cannot write back.
 */
class CodecPropertyTest {

  @Property(tries = 600)
  void everyValidResourceRoundTripsThroughYamlAndJson(@ForAll("resources") Resource resource) {
    Statistics.label("kind").collect(resource.kind());
    String yaml = ResourceCodec.toYaml(resource);
    assertThat(ResourceCodec.parse("r.yaml", yaml))
        .map(ParsedResource::resource)
        .containsExactly(resource);

    String json = ResourceCodec.toJson(resource);
    assertThat(ResourceCodec.fromJson(json)).isEqualTo(resource);
    assertThat(ResourceCodec.toJson(ResourceCodec.fromJson(json))).isEqualTo(json);
    assertThat(ResourceCodec.fromTree(ResourceCodec.toTree(resource))).isEqualTo(resource);
  }

  @Property(tries = 100)
  void severalDocumentsRoundTripTogether(@ForAll("resourceLists") List<Resource> resources) {
    List<Resource> distinct =
        resources.stream()
            .collect(Collectors.toMap(Resource::key, r -> r, (a, b) -> a, LinkedHashMap::new))
            .values()
            .stream()
            .toList();
    assertThat(ResourceCodec.parse("all.yaml", ResourceCodec.toYaml(distinct)))
        .map(ParsedResource::resource)
        .containsExactlyElementsOf(distinct);
  }

  @Property(tries = 3000)
  void brokenTextIsRefusedWithPositionsOrAcceptedFaithfully(
      @ForAll("mutatedDocuments") String text) {
    checkParse(text, () -> ResourceCodec.parse("fuzz.yaml", text));
  }

  @Property(tries = 1000)
  void brokenBytesAreRefusedWithPositionsOrAcceptedFaithfully(
      @ForAll("mutatedBytes") byte[] bytes) {
    checkParse(
        new String(bytes, StandardCharsets.UTF_8), () -> ResourceCodec.parse("fuzz.yaml", bytes));
  }

  private static void checkParse(String text, Supplier<List<ParsedResource>> parse) {
    List<ParsedResource> parsed;
    try {
      parsed = parse.get();
    } catch (InvalidResourceException e) {
      Statistics.label("outcome").collect("refused");
      long lines = text.lines().count() + 2;
      assertThat(e.problems()).isNotEmpty().hasSizeLessThanOrEqualTo(50);
      for (Problem problem : e.problems()) {
        assertThat(problem.position().file()).isEqualTo("fuzz.yaml");
        assertThat((long) problem.position().line()).isBetween(1L, lines);
        assertThat(problem.position().column()).isPositive();
        assertThat(problem.message()).isNotBlank();
      }
      assertThat(e.getMessage()).startsWith("fuzz.yaml:");
      return;
    }
    Statistics.label("outcome").collect(parsed.isEmpty() ? "empty" : "accepted");
    // whatever is accepted can be written back and means the same
    for (ParsedResource p : parsed) {
      Resource r = p.resource();
      assertThat(ResourceCodec.fromJson(ResourceCodec.toJson(r))).isEqualTo(r);
      assertThat(ResourceCodec.parse("again.yaml", ResourceCodec.toYaml(r)))
          .map(ParsedResource::resource)
          .containsExactly(r);
    }
  }

  @Provide
  Arbitrary<Resource> resources() {
    return ValidResources.any();
  }

  @Provide
  Arbitrary<List<Resource>> resourceLists() {
    return ValidResources.any().list().ofMinSize(1).ofMaxSize(5);
  }

  @Provide
  Arbitrary<String> mutatedDocuments() {
    Arbitrary<String> seeds =
        Arbitraries.oneOf(
            ValidResources.any().map(ResourceCodec::toYaml),
            ValidResources.any().map(ResourceCodec::toJson),
            Arbitraries.of(examples()),
            Arbitraries.strings().withChars(":-[]{}&*!|>'\"%@`#?,~ \n\tabcv019.").ofMaxLength(300));
    Arbitrary<List<Mutation>> mutations =
        Arbitraries.of(Mutation.values()).list().ofMinSize(1).ofMaxSize(4);
    Arbitrary<List<Long>> seedsForMutations = Arbitraries.longs().list().ofSize(4);
    return Combinators.combine(seeds, mutations, seedsForMutations)
        .as(
            (text, ms, randoms) -> {
              String out = text;
              for (int i = 0; i < ms.size(); i++) {
                out = ms.get(i).apply(out, new Random(randoms.get(i)));
              }
              return out;
            });
  }

  @Provide
  Arbitrary<byte[]> mutatedBytes() {
    Arbitrary<byte[]> seeds =
        Arbitraries.oneOf(
                ValidResources.any().map(ResourceCodec::toYaml), Arbitraries.of(examples()))
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
    return Combinators.combine(seeds, Arbitraries.longs(), Arbitraries.integers().between(1, 8))
        .as(
            (bytes, seed, count) -> {
              Random random = new Random(seed);
              byte[] out = bytes.clone();
              for (int i = 0; i < count && out.length > 0; i++) {
                out[random.nextInt(out.length)] = (byte) random.nextInt(256);
              }
              return out;
            });
  }

  static List<String> examples() {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.list(TradingExampleTest.EXAMPLES)) {
      for (Path file : files.sorted().toList()) {
        texts.add(Files.readString(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    texts.add(ResourceCodecTest.BRIEF_ROUTE);
    return texts;
  }

  /** Ways to damage a document, from typos to attacks. */
  enum Mutation {
    DELETE_LINE {
      @Override
      String apply(String text, Random random) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (!lines.isEmpty()) {
          lines.remove(random.nextInt(lines.size()));
        }
        return String.join("\n", lines);
      }
    },
    DUPLICATE_LINE {
      @Override
      String apply(String text, Random random) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (!lines.isEmpty()) {
          int i = random.nextInt(lines.size());
          lines.add(i, lines.get(i));
        }
        return String.join("\n", lines);
      }
    },
    SWAP_LINES {
      @Override
      String apply(String text, Random random) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (lines.size() > 1) {
          Collections.swap(lines, random.nextInt(lines.size()), random.nextInt(lines.size()));
        }
        return String.join("\n", lines);
      }
    },
    INJECT_GARBAGE {
      @Override
      String apply(String text, Random random) {
        String garbage = ":{}[]&*!|>'\"%@`#-?,\t\u0000\u0007\uFEFF\uD800é日\n ";
        StringBuilder junk = new StringBuilder();
        for (int i = random.nextInt(8) + 1; i > 0; i--) {
          junk.append(garbage.charAt(random.nextInt(garbage.length())));
        }
        int at = random.nextInt(text.length() + 1);
        return text.substring(0, at) + junk + text.substring(at);
      }
    },
    TRUNCATE {
      @Override
      String apply(String text, Random random) {
        return text.substring(0, random.nextInt(text.length() + 1));
      }
    },
    RETYPE_VALUE {
      @Override
      String apply(String text, Random random) {
        String[] replacements = {
          "ninety",
          "-1",
          "99999999999999999999999999",
          "1e309",
          ".nan",
          ".inf",
          "~",
          "[]",
          "{}",
          "&a x",
          "*a",
          "!!binary aGk=",
          "!!str",
          "!custom x",
          "true",
          "'quoted'",
          "\"\\u0000\"",
          "0x7FFFFFFFFFFF",
          "0o777",
          "|\n  block",
          ">-\n  folded",
          "[a, {b: c}]",
          "\"\"",
          "1.5.5",
          "5ms5",
          "-5s",
          "1.0000000001ns",
          "1h1m1s1ms1us1ns",
          "100000000h",
          "<<: *a",
          "? complex"
        };
        List<Integer> colons = new ArrayList<>();
        for (int i = text.indexOf(": "); i >= 0; i = text.indexOf(": ", i + 1)) {
          colons.add(i);
        }
        if (colons.isEmpty()) {
          return text;
        }
        int at = colons.get(random.nextInt(colons.size())) + 2;
        int end = text.indexOf('\n', at);
        end = end < 0 ? text.length() : end;
        return text.substring(0, at)
            + replacements[random.nextInt(replacements.length)]
            + text.substring(end);
      }
    },
    RENAME_KEY {
      @Override
      String apply(String text, Random random) {
        int colon = text.indexOf(':', random.nextInt(text.length() + 1));
        if (colon <= 0) {
          return text;
        }
        char[] chars = text.toCharArray();
        chars[colon - 1] = "xyzS_-".charAt(random.nextInt(6));
        return new String(chars);
      }
    },
    REINDENT {
      @Override
      String apply(String text, Random random) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (lines.isEmpty()) {
          return text;
        }
        int i = random.nextInt(lines.size());
        String prefix =
            switch (random.nextInt(3)) {
              case 0 -> "\t";
              case 1 -> " ";
              default -> "";
            };
        String line = lines.get(i);
        lines.set(
            i, prefix + (line.startsWith("  ") && prefix.isEmpty() ? line.substring(1) : line));
        return String.join("\n", lines);
      }
    },
    DEEP_NESTING {
      @Override
      String apply(String text, Random random) {
        int depth = random.nextInt(20_000);
        return switch (random.nextInt(3)) {
          case 0 -> text + "\n---\nx: " + "[".repeat(depth) + "]".repeat(depth);
          case 1 -> text + "\n---\nx: " + "{a: ".repeat(depth) + "1" + "}".repeat(depth);
          default -> text + "\n---\n" + "- ".repeat(Math.min(depth, 2000)) + "x";
        };
      }
    },
    ALIAS_BOMB {
      @Override
      String apply(String text, Random random) {
        StringBuilder bomb = new StringBuilder("a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\"]\n");
        int levels = random.nextInt(12) + 1;
        for (int i = 1; i <= levels; i++) {
          String prev = "*a" + (i - 1);
          bomb.append("a")
              .append(i)
              .append(": &a")
              .append(i)
              .append(" [")
              .append(String.join(", ", Collections.nCopies(9, prev)))
              .append("]\n");
        }
        String variant =
            switch (random.nextInt(3)) {
              case 0 -> "---\n" + bomb;
              case 1 ->
                  "---\napiVersion: firemesh.dev/v1\nkind: Config\nmetadata: {name: x}\nspec:\n  service: s\n  environment: e\n  values:\n"
                      + bomb.toString().indent(4)
                      + "    all: *a"
                      + levels
                      + "\n";
              default -> "---\nx: &r {<<: *r}\n";
            };
        return text + "\n" + variant;
      }
    },
    HUGE_NUMBER {
      @Override
      String apply(String text, Random random) {
        return text.replaceFirst(": [0-9]+", ": " + "9".repeat(random.nextInt(5000) + 1));
      }
    };

    abstract String apply(String text, Random random);
  }
}
