package dev.firemesh.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.StreamDataWriter;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Writes canonical trees as YAML in the shape people write: block style, lists indented under their
 * key, and short collections of scalars inline ({@code methods: [GET, POST]}, {@code - {subset: v1,
 * weight: 90}}). Strings that would read back as another type are quoted, since the same core
 * schema is used for reading.
 */
final class YamlOutput {

  /** Collections of scalars up to this many characters go on one line. */
  private static final int INLINE_WIDTH = 60;

  private static final DumpSettings SETTINGS =
      DumpSettings.builder()
          .setSchema(new CoreSchema())
          .setDefaultFlowStyle(FlowStyle.BLOCK)
          .setIndent(2)
          .setIndicatorIndent(2)
          .setIndentWithIndicator(true)
          .setWidth(120)
          .build();

  private YamlOutput() {}

  static String write(JsonNode tree) {
    Node node = new StandardRepresenter(SETTINGS).represent(plain(tree));
    chooseFlowStyle(node, 0);
    StringWriter out = new StringWriter();
    new Dump(SETTINGS)
        .dumpNode(
            node,
            new StreamDataWriter() {
              @Override
              public void write(String str) {
                out.write(str);
              }

              @Override
              public void write(String str, int off, int len) {
                out.write(str, off, len);
              }
            });
    return out.toString();
  }

  /**
   * Inlines a collection if all its children are short scalars, except at the top two levels (the
   * document and {@code metadata}/{@code spec}); returns its inline width, or -1 if block.
   */
  private static int chooseFlowStyle(Node node, int depth) {
    switch (node) {
      case ScalarNode scalar -> {
        return scalar.getValue().length() + 2;
      }
      case SequenceNode sequence -> {
        int width = 2;
        boolean inline = true;
        for (Node item : sequence.getValue()) {
          int w = chooseFlowStyle(item, depth + 1);
          inline &= item instanceof ScalarNode && w >= 0;
          width += w + 2;
        }
        return style(
            sequence.getValue().isEmpty() || (inline && width <= INLINE_WIDTH), sequence, width);
      }
      case MappingNode mapping -> {
        int width = 2;
        boolean inline = true;
        for (NodeTuple tuple : mapping.getValue()) {
          int w = chooseFlowStyle(tuple.getValueNode(), depth + 1);
          inline &= tuple.getValueNode() instanceof ScalarNode;
          width += chooseFlowStyle(tuple.getKeyNode(), depth + 1) + w + 2;
        }
        return style(
            mapping.getValue().isEmpty() || (inline && width <= INLINE_WIDTH), mapping, width);
      }
      default -> {
        return -1;
      }
    }
  }

  private static boolean inline(boolean empty, boolean scalarsOnly, int width, int depth) {
    return empty || (depth > 1 && scalarsOnly && width <= INLINE_WIDTH);
  }

  private static int style(boolean inline, Node node, int width) {
    FlowStyle style = inline ? FlowStyle.FLOW : FlowStyle.BLOCK;
    if (node instanceof SequenceNode s) {
      s.setFlowStyle(style);
    } else if (node instanceof MappingNode m) {
      m.setFlowStyle(style);
    }
    return inline ? width : -1;
  }

  /** Jackson's tree to the maps, lists and scalars snakeyaml represents. */
  private static Object plain(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(e -> map.put(e.getKey(), plain(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(plain(item)));
      return list;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isBigDecimal()) {
      return node.decimalValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    throw new IllegalArgumentException("unexpected node in a resource tree: " + node.getNodeType());
  }
}
