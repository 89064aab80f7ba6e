package dev.firemesh.chassis.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A regular expression (Java syntax) that the whole of a string, or an enum's name, must match:
 * {@code List<@Pattern("[A-Z0-9]{4}") String> allowedVenues}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
public @interface Pattern {
  String value();
}
