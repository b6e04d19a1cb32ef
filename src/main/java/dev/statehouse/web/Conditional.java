package dev.statehouse.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A GET that answers {@code If-None-Match} with 304 ({@link Responses#notModified}): the OpenAPI
 * document lists the header, the {@code ETag} of the 200 and the 304.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Conditional {
}
