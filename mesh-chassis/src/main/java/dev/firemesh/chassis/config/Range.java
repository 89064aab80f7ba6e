package dev.firemesh.chassis.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds, inclusive, for a number (an {@code int}, {@code long}, {@code double} or {@code
 * BigDecimal} field, or a list's elements: {@code List<@Range(min = 1) Long>}). Published in the
 * schema, so {@code firemesh apply} refuses a value outside them; checked again when the service
 * binds. For durations see {@link DurationRange}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
public @interface Range {
  long min() default Long.MIN_VALUE;

  long max() default Long.MAX_VALUE;
}
