package dev.firemesh.api.codec;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.DocumentStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Sits between snakeyaml's parser and its composer and refuses what the composer handles badly:
 * nesting deep enough to overflow its recursive descent, and aliases to a collection from inside
 * that collection (a recursive merge key {@code &a {<<: *a}} makes snakeyaml-engine 3.2 loop
 * forever; no resource needs a cyclic structure). Also remembers the last position seen, for errors
 * snakeyaml raises without one.
 */
final class GuardedParser implements Parser {

  /** An input refused before the composer sees it. */
  static final class Refused extends RuntimeException {
    private final transient Optional<Mark> mark;

    Refused(Optional<Mark> mark, String message) {
      super(message, null, false, false);
      this.mark = mark;
    }

    Optional<Mark> mark() {
      return mark;
    }
  }

  /** A collection being composed, with its anchor if it has one. */
  private record Open(Optional<Anchor> anchor) {}

  private static final Object CLOSED = new Object();

  private final Parser delegate;
  private final int maxDepth;
  private final Deque<Open> open = new ArrayDeque<>();
  private final Map<Anchor, Object> anchors = new HashMap<>();
  private Optional<Mark> lastMark = Optional.empty();

  GuardedParser(Parser delegate, int maxDepth) {
    this.delegate = delegate;
    this.maxDepth = maxDepth;
  }

  Optional<Mark> lastMark() {
    return lastMark;
  }

  @Override
  public boolean checkEvent(Event.ID id) {
    return delegate.checkEvent(id);
  }

  @Override
  public Event peekEvent() {
    return delegate.peekEvent();
  }

  @Override
  public boolean hasNext() {
    return delegate.hasNext();
  }

  @Override
  public Event next() {
    Event event = delegate.next();
    if (event.getStartMark().isPresent()) {
      lastMark = event.getStartMark();
    }
    switch (event) {
      case DocumentStartEvent start -> {
        open.clear();
        anchors.clear();
      }
      case CollectionStartEvent start -> {
        if (open.size() >= maxDepth) {
          throw new Refused(event.getStartMark(), "nested deeper than " + maxDepth + " levels");
        }
        Open collection = new Open(start.getAnchor());
        open.push(collection);
        start.getAnchor().ifPresent(a -> anchors.put(a, collection));
      }
      case CollectionEndEvent end -> {
        Open collection = open.pop();
        collection.anchor().ifPresent(a -> anchors.replace(a, collection, CLOSED));
      }
      case ScalarEvent scalar -> scalar.getAnchor().ifPresent(a -> anchors.put(a, CLOSED));
      case AliasEvent alias -> {
        if (anchors.get(alias.getAlias()) instanceof Open) {
          throw new Refused(
              event.getStartMark(),
              "alias *"
                  + alias.getAlias().getValue()
                  + " refers to a collection that contains it; recursive structures are not"
                  + " supported");
        }
      }
      default -> {}
    }
    return event;
  }
}
