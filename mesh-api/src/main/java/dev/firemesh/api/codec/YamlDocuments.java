package dev.firemesh.api.codec;

import dev.firemesh.api.validation.ParsedResource;
import dev.firemesh.api.validation.Problems;
import dev.firemesh.api.validation.SourcePosition;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Turns a file into node trees, one per document, with snakeyaml-engine's composer, and hands each
 * to the binder. Syntax errors end the file (the parser cannot resynchronise) but keep the problems
 * of the documents before them. Empty documents are skipped.
 */
final class YamlDocuments {

  /** Larger than any sane resource file; bounds memory before parsing starts. */
  static final int MAX_CODE_POINTS = 3 * 1024 * 1024;

  static final int MAX_DEPTH = 64;

  /** Aliases to collections per document, the billion-laughs bound. */
  static final int MAX_ALIASES = 50;

  private YamlDocuments() {}

  static List<ParsedResource> read(String file, String text, Problems problems) {
    if (text.length() > MAX_CODE_POINTS) {
      problems.add(
          new SourcePosition(file, 1, 1),
          "",
          "the file has "
              + text.length()
              + " characters, more than the limit of "
              + MAX_CODE_POINTS);
      return List.of();
    }
    String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(file)
            .setSchema(new CoreSchema())
            .setCodePointLimit(MAX_CODE_POINTS)
            .setMaxAliasesForCollections(MAX_ALIASES)
            // duplicate keys are reported by the binder, with both positions
            .setAllowDuplicateKeys(true)
            .setAllowRecursiveKeys(false)
            .setUseMarks(true)
            .build();
    GuardedParser parser =
        new GuardedParser(new ParserImpl(settings, new StreamReader(settings, content)), MAX_DEPTH);
    Composer composer = new Composer(settings, parser);
    ReadContext context = new ReadContext(file, problems);
    List<ParsedResource> resources = new ArrayList<>();
    try {
      Optional<Node> root;
      while ((root = nextDocument(composer, parser, context, content)).isPresent()) {
        if (!Fields.isNull(root.get())) {
          ResourceBinder.bind(context, root.get()).ifPresent(resources::add);
        }
      }
    } catch (ReadContext.Stop stop) {
      // the problem limit or the expansion budget was reached; the problems say which
    }
    return resources;
  }

  /** The next document's root, or empty at the end of the stream or after a syntax error. */
  private static Optional<Node> nextDocument(
      Composer composer, GuardedParser parser, ReadContext context, String content) {
    try {
      return composer.hasNext() ? Optional.of(composer.next()) : Optional.empty();
    } catch (GuardedParser.Refused e) {
      context.problem(at(context, e.mark(), parser), "", e.getMessage());
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark =
          e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
      String during = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      context.problem(
          at(context, mark, parser), "", "invalid YAML: " + printable(e.getProblem() + during));
    } catch (ReaderException e) {
      context.problem(
          codePointPosition(context.file(), content, e.getPosition()),
          "",
          String.format(
              Locale.ROOT,
              "invalid character U+%04X: control characters and other non-printable characters"
                  + " are not allowed",
              e.getCodePoint()));
    } catch (YamlEngineException e) {
      context.problem(
          at(context, Optional.empty(), parser), "", "invalid YAML: " + printable(e.getMessage()));
    }
    return Optional.empty();
  }

  /**
   * snakeyaml quotes offending characters raw; a tab or newline would garble a one-line message.
   */
  private static String printable(String message) {
    return message.replace("\t", "\\t").replace("\n", " ").replace("\r", " ");
  }

  private static SourcePosition at(ReadContext context, Optional<Mark> mark, GuardedParser parser) {
    return mark.or(parser::lastMark)
        .map(context::position)
        .orElse(SourcePosition.of(context.file()));
  }

  /** The line and column of the code point at {@code index}. */
  private static SourcePosition codePointPosition(String file, String text, int index) {
    int line = 1;
    int column = 1;
    int i = 0;
    for (int seen = 0; i < text.length() && seen < index; seen++) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new SourcePosition(file, line, column);
  }

  /** Decodes strict UTF-8; on a malformed byte reports its line and column and returns empty. */
  static Optional<String> decode(String file, byte[] content, Problems problems) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(content);
    CharBuffer out = CharBuffer.allocate(content.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      out.flip();
      String before = out.toString();
      SourcePosition at =
          codePointPosition(file, before, before.codePointCount(0, before.length()));
      problems.add(
          at,
          "",
          String.format(
              Locale.ROOT,
              "the file is not valid UTF-8 (byte 0x%02X at offset %d)",
              content[in.position()] & 0xff,
              in.position()));
      return Optional.empty();
    }
    out.flip();
    return Optional.of(out.toString());
  }
}
