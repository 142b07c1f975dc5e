package io.jzram.core.concurrent;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents the lock that must be held to read or write a field, or to call a method.
 * {@code value} names the lock as seen from the annotated member, e.g. {@code "lock"} or
 * {@code "sizeClass.lock"}, {@code "this"}. Not checked by a tool; it is a promise the code keeps and the reader checks.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface GuardedBy {
    String value();
}
