package dev.firemesh.chassis.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds, inclusive, for a {@code Duration}, written as a {@code Config} writes durations ({@code
 * "250ms"}, {@code "5s"}, {@code "2m"}, {@code "1h"}); an empty bound is no bound. Published in the
 * schema in milliseconds.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
public @interface DurationRange {
  String min() default "";

  String max() default "";
}
