package dev.firemesh.api.codec;

import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads one value from a node. Empty means the node was wrong and a problem has been reported at
 * {@code field}; the caller carries on so that every problem of a file is found.
 */
@FunctionalInterface
interface ValueReader<T> {

  Optional<T> read(ReadContext context, Node node, String field);

  default <U> ValueReader<U> map(Function<? super T, ? extends U> f) {
    return (context, node, field) -> read(context, node, field).map(f);
  }
}
