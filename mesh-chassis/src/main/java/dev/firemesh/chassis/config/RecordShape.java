package dev.firemesh.chassis.config;

import dev.firemesh.api.config.SchemaNode;
import dev.firemesh.api.config.SchemaType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A record: an object whose keys are the record's components, in declaration order. Unknown keys
 * are refused (a misspelt key would otherwise be a silent no-op), and a component without a value
 * is refused too: the values handed to {@link #bind} already have the defaults merged in.
 */
record RecordShape(
    Class<? extends Record> type,
    Constructor<? extends Record> constructor,
    Map<String, ValueShape> fields,
    List<RecordComponent> components)
    implements ValueShape {

  /**
   * Derives the shape of {@code type} with the defaults {@code defaults} (whose {@code null}
   * components have none; {@code null} for no defaults at all).
   *
   * @throws IllegalArgumentException when a component's type is not supported, an annotation does
   *     not apply to it, or a default breaks its own constraints: programming errors, reported at
   *     start with the component's path
   */
  static RecordShape derive(Class<? extends Record> type, Record defaults) {
    return derive(type, defaults, "", new HashSet<>());
  }

  private static RecordShape derive(
      Class<? extends Record> type, Record defaults, String path, Set<Class<?>> visiting) {
    if (!visiting.add(type)) {
      throw new IllegalArgumentException(
          (path.isEmpty() ? "" : path + ": ")
              + "the record "
              + type.getSimpleName()
              + " contains itself");
    }
    RecordComponent[] components = type.getRecordComponents();
    Map<String, ValueShape> fields = new LinkedHashMap<>();
    Class<?>[] parameterTypes = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      parameterTypes[i] = component.getType();
      String at = path.isEmpty() ? component.getName() : path + "." + component.getName();
      Object fallback = defaults == null ? null : read(component, defaults);
      fields.put(
          component.getName(),
          shapeOf(component.getAnnotatedType(), component, at, fallback, visiting));
    }
    visiting.remove(type);
    try {
      Constructor<? extends Record> constructor = type.getDeclaredConstructor(parameterTypes);
      constructor.setAccessible(true);
      return new RecordShape(type, constructor, fields, List.of(components));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("a record always has its canonical constructor", e);
    }
  }

  private static ValueShape shapeOf(
      AnnotatedType annotated,
      AnnotatedElement component,
      String path,
      Object fallback,
      Set<Class<?>> visiting) {
    AnnotatedElement[] sources =
        component == null
            ? new AnnotatedElement[] {annotated}
            : new AnnotatedElement[] {annotated, component};
    Constraints constraints = Constraints.of(path, sources);
    boolean required = fallback == null;
    Class<?> raw =
        switch (annotated.getType()) {
          case Class<?> c -> c;
          case ParameterizedType p -> (Class<?>) p.getRawType();
          default ->
              throw new IllegalArgumentException(
                  path + ": the type " + annotated.getType() + " is not supported");
        };
    ValueShape shape;
    if (raw == List.class) {
      if (!(annotated instanceof AnnotatedParameterizedType parameterized)) {
        throw new IllegalArgumentException(path + ": a List needs its element type, List<E>");
      }
      allow(path, sources, Set.of(Size.class));
      ValueShape element =
          shapeOf(
              parameterized.getAnnotatedActualTypeArguments()[0],
              null,
              path + "[]",
              null,
              visiting);
      Optional<Object> defaultList =
          Optional.ofNullable(fallback)
              .map(list -> ((List<?>) list).stream().map(element::toValues).toList());
      shape = new ListShape(element, constraints, required, defaultList);
    } else if (raw.isRecord()) {
      allow(path, sources, Set.of());
      @SuppressWarnings("unchecked")
      Class<? extends Record> nested = (Class<? extends Record>) raw;
      shape = derive(nested, (Record) fallback, path, visiting);
    } else {
      SchemaType type = scalarType(raw, path);
      allow(path, sources, allowedOn(type));
      if (raw == int.class || raw == Integer.class) {
        constraints = constraints.within(Integer.MIN_VALUE, Integer.MAX_VALUE);
      }
      ScalarShape untyped = new ScalarShape(type, raw, constraints, required, Optional.empty());
      shape =
          new ScalarShape(
              type,
              raw,
              constraints,
              required,
              Optional.ofNullable(fallback).map(untyped::toValues));
    }
    if (fallback != null && !(shape instanceof RecordShape)) {
      List<ConfigProblem> problems = new ArrayList<>();
      shape.bind(shape.toValues(fallback), path, problems);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("the default breaks its own constraint: " + problems);
      }
    }
    return shape;
  }

  private static SchemaType scalarType(Class<?> raw, String path) {
    if (raw == String.class) {
      return SchemaType.STRING;
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return SchemaType.BOOLEAN;
    }
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      return SchemaType.INTEGER;
    }
    if (raw == double.class || raw == Double.class || raw == BigDecimal.class) {
      return SchemaType.DECIMAL;
    }
    if (raw == Duration.class) {
      return SchemaType.DURATION;
    }
    if (raw == Secret.class) {
      return SchemaType.SECRET;
    }
    if (raw.isEnum()) {
      return SchemaType.ENUM;
    }
    throw new IllegalArgumentException(
        path
            + ": the type "
            + raw.getName()
            + " is not supported (String, boolean, int, long, double, BigDecimal, Duration, an"
            + " enum, Secret, List<E> or a record)");
  }

  private static Set<Class<?>> allowedOn(SchemaType type) {
    return switch (type) {
      case STRING -> Set.of(Pattern.class, Size.class);
      case INTEGER, DECIMAL -> Set.of(Range.class);
      case DURATION -> Set.of(DurationRange.class);
      case ENUM -> Set.of(Pattern.class);
      default -> Set.of();
    };
  }

  private static void allow(String path, AnnotatedElement[] sources, Set<Class<?>> allowed) {
    for (Class<? extends java.lang.annotation.Annotation> constraint :
        List.of(Range.class, DurationRange.class, Pattern.class, Size.class)) {
      for (AnnotatedElement source : sources) {
        if (source.isAnnotationPresent(constraint) && !allowed.contains(constraint)) {
          throw new IllegalArgumentException(
              path + ": @" + constraint.getSimpleName() + " does not apply to its type");
        }
      }
    }
  }

  private static Object read(RecordComponent component, Record from) {
    try {
      var accessor = component.getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(from);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalArgumentException(
          "cannot read the default of " + component.getName() + " from " + from.getClass(), e);
    }
  }

  @Override
  public SchemaNode node() {
    Map<String, SchemaNode> nodes = new LinkedHashMap<>();
    fields.forEach((name, shape) -> nodes.put(name, shape.node()));
    return new SchemaNode(
        SchemaType.OBJECT,
        nodes.values().stream().anyMatch(SchemaNode::required),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        nodes);
  }

  @Override
  public String describe() {
    return "an object";
  }

  @Override
  public Object bind(Object raw, String path, List<ConfigProblem> problems) {
    if (!(raw instanceof Map<?, ?> values)) {
      problems.add(new ConfigProblem(path, "expected an object, got " + ValueShape.kindOf(raw)));
      return null;
    }
    int before = problems.size();
    for (Object key : values.keySet()) {
      if (!fields.containsKey(key)) {
        problems.add(
            new ConfigProblem(
                join(path, String.valueOf(key)),
                "unknown key; "
                    + type.getSimpleName()
                    + " has "
                    + String.join(", ", fields.keySet())));
      }
    }
    Object[] arguments = new Object[fields.size()];
    int i = 0;
    for (Map.Entry<String, ValueShape> field : fields.entrySet()) {
      String at = join(path, field.getKey());
      Object value = values.get(field.getKey());
      if (!values.containsKey(field.getKey())) {
        problems.add(
            new ConfigProblem(at, "required: it has no default in code and no Config sets it"));
      } else if (value == null) {
        problems.add(new ConfigProblem(at, "null is not a value; leave the key out instead"));
      } else {
        arguments[i] = field.getValue().bind(value, at, problems);
      }
      i++;
    }
    if (problems.size() != before) {
      return null;
    }
    try {
      return constructor.newInstance(arguments);
    } catch (InvocationTargetException e) {
      // The record's own checks (its compact constructor) refused the combination.
      Throwable cause = e.getCause();
      problems.add(
          new ConfigProblem(
              path,
              type.getSimpleName()
                  + " refused the values: "
                  + (cause.getMessage() == null ? cause.toString() : cause.getMessage())));
      return null;
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException("cannot construct " + type, e);
    }
  }

  @Override
  public Object toValues(Object value) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (RecordComponent component : components) {
      Object field = read(component, (Record) value);
      if (field != null) {
        values.put(component.getName(), fields.get(component.getName()).toValues(field));
      }
    }
    return values;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
