package dev.statehouse.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.statehouse.domain.ErrorKind;

/**
 * The problems an operation can answer with beyond those every operation can (see
 * {@link OpenApiConfig}): the OpenAPI document lists each under its status, so a client knows which
 * {@code type}s to branch on. The API suites check every answer against the document, so a kind
 * missing here fails a test the first time a test meets it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CanFail {
    ErrorKind[] value();
}
