package dev.firemesh.chassis.config;

import dev.firemesh.api.config.SchemaNode;
import dev.firemesh.api.config.SchemaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@code List<E>}: bound to an immutable list; a layer that sets it replaces it whole. */
record ListShape(
    ValueShape element, Constraints constraints, boolean required, Optional<Object> defaultValue)
    implements ValueShape {

  @Override
  public SchemaNode node() {
    return new SchemaNode(
        SchemaType.LIST,
        required,
        element.node().type() == SchemaType.SECRET ? Optional.empty() : defaultValue,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        constraints.minSize(),
        constraints.maxSize(),
        List.of(),
        Optional.of(element.node()),
        Map.of());
  }

  @Override
  public String describe() {
    return "a list";
  }

  @Override
  public Object bind(Object raw, String path, List<ConfigProblem> problems) {
    if (!(raw instanceof List<?> items)) {
      problems.add(new ConfigProblem(path, "expected a list, got " + ValueShape.kindOf(raw)));
      return null;
    }
    int before = problems.size();
    constraints
        .checkSize(items.size(), "size")
        .ifPresent(problem -> problems.add(new ConfigProblem(path, problem)));
    List<Object> bound = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String at = path + "[" + i + "]";
      Object item = items.get(i);
      if (item == null) {
        problems.add(new ConfigProblem(at, "null is not a value"));
      } else {
        bound.add(element.bind(item, at, problems));
      }
    }
    return problems.size() == before ? List.copyOf(bound) : null;
  }

  @Override
  public Object toValues(Object value) {
    return ((List<?>) value).stream().map(element::toValues).toList();
  }
}
