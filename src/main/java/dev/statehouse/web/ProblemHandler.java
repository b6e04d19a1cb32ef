package dev.statehouse.web;

import java.util.List;

import dev.statehouse.domain.DomainException;
import dev.statehouse.domain.ErrorKind;
import dev.statehouse.storage.StorageErrors;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure into RFC 9457 {@code application/problem+json}. Spring MVC's own
 * exceptions (404 route, 405, 415, type mismatch, unreadable body) come through the base class.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** Seconds a client should wait after a 503 caused by a busy database or a saturated pool. */
    static final String RETRY_AFTER_SECONDS = "1";
    /** Seconds a client should wait after a 503 because the database cannot be reached (stopped, restarting, cut off). */
    static final String UNAVAILABLE_RETRY_AFTER_SECONDS = "2";

    /** Warning and error lines a client may cause per minute. */
    private final LogBudget budget = new LogBudget(20);

    /** The status of a domain failure: its kind's ({@link ProblemStatuses}), the same the OpenAPI document lists. */
    static HttpStatus status(DomainException e) {
        return ProblemStatuses.of(e.kind());
    }

    @ExceptionHandler(DomainException.class)
    public ResponseEntity<ProblemDetail> domain(DomainException e, HttpServletRequest request) {
        ResponseEntity<ProblemDetail> response = problem(status(e), e.kind(), e.getMessage(), request);
        if (e instanceof DomainException.InvalidInput invalid && invalid.field() != null) {
            Problems.withErrors(response.getBody(), List.of(new Problems.FieldError(invalid.field(), invalid.problem())));
        }
        return e.retryAfterSeconds() == null ? response : withRetryAfter(response, e.retryAfterSeconds().toString());
    }

    private static ResponseEntity<ProblemDetail> withRetryAfter(ResponseEntity<ProblemDetail> response, String seconds) {
        return ResponseEntity.status(response.getStatusCode())
                .headers(response.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, seconds)
                .body(response.getBody());
    }

    /**
     * The answer the handlers above give {@code e}, for a failure outside MVC's dispatch (the lean
     * path, {@code security.LeanReadFilter}): the same status, problem, headers and log lines.
     */
    public ResponseEntity<ProblemDetail> answer(Exception e, HttpServletRequest request) {
        if (e instanceof DomainException domain) {
            return domain(domain, request);
        }
        if (e instanceof DataAccessException || e instanceof TransactionException) {
            return dataAccess(e, request);
        }
        return unexpected(e, request);
    }

    @ExceptionHandler({DataAccessException.class, TransactionException.class})
    public ResponseEntity<ProblemDetail> dataAccess(Exception e, HttpServletRequest request) {
        StorageErrors.StorageFault fault = StorageErrors.fault(e); // only mapped: storage recorded it itself
        int suppressed = budget.take(request.getRemoteAddr());
        if (fault == StorageErrors.StorageFault.DISK_FULL) {
            if (suppressed >= 0) log.warn("disk full for {} {}: {}", request.getMethod(), request.getRequestURI(), StorageErrors.rootMessage(e));
            return withRetryAfter(problem(HttpStatus.INSUFFICIENT_STORAGE, ErrorKind.DISK_FULL,
                    "the database's file system is full; nothing was written. Reads still work; retry when space is freed", request),
                    "30");
        }
        if (fault != null) {
            if (suppressed >= 0) log.error("database {} for {} {}: {}", fault, request.getMethod(), request.getRequestURI(), StorageErrors.rootMessage(e));
            return problem(HttpStatus.INTERNAL_SERVER_ERROR, ErrorKind.DATABASE_ERROR, "the request could not be completed", request);
        }
        if (StorageErrors.isUnavailable(e)) {
            if (suppressed >= 0) log.warn("database unavailable for {} {}: {}", request.getMethod(), request.getRequestURI(),
                    StorageErrors.rootMessage(e));
            return withRetryAfter(problem(HttpStatus.SERVICE_UNAVAILABLE, ErrorKind.DATABASE_UNAVAILABLE,
                    "the database cannot be reached right now; retry shortly", request), UNAVAILABLE_RETRY_AFTER_SECONDS);
        }
        if (StorageErrors.isBusy(e)) {
            if (suppressed >= 0) log.warn("database busy for {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            return withRetryAfter(problem(HttpStatus.SERVICE_UNAVAILABLE, ErrorKind.DATABASE_BUSY,
                    "the database is busy; retry shortly", request), RETRY_AFTER_SECONDS);
        }
        if (suppressed >= 0) {
            log.error("database error for {} {}{}", request.getMethod(), request.getRequestURI(), suppressedNote(suppressed), e);
        }
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, ErrorKind.DATABASE_ERROR, "the request could not be completed", request);
    }

    /**
     * The client went away (closed its connection mid-response): normal, nothing to answer and
     * nothing to report beyond a debug line. (An SSE watcher that disconnected surfaces as
     * AsyncRequestNotUsableException, which the base class already drops quietly.)
     */
    @ExceptionHandler(ClientAbortException.class)
    public void clientGone(Exception e, HttpServletRequest request) {
        log.debug("client went away during {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
    }

    /** Tomcat's own limit on request parameters (a body or query string it parsed): a bad request. */
    @ExceptionHandler(InvalidParameterException.class)
    public ResponseEntity<ProblemDetail> tooManyParameters(InvalidParameterException e, HttpServletRequest request) {
        return problem(HttpStatus.BAD_REQUEST, ErrorKind.INVALID_REQUEST, "the request has too many or malformed parameters", request);
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (StorageErrors.isUnavailable(e) || StorageErrors.isBusy(e)) { // a database failure that came wrapped otherwise
            return dataAccess(e, request);
        }
        int suppressed = budget.take(request.getRemoteAddr());
        if (suppressed >= 0) {
            log.error("unexpected failure for {} {}{}", request.getMethod(), request.getRequestURI(), suppressedNote(suppressed), e);
        }
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, ErrorKind.INTERNAL_ERROR, "the request could not be completed", request);
    }

    private static String suppressedNote(int suppressed) {
        return suppressed == 0 ? "" : " (" + suppressed + " earlier line(s) from this client suppressed)";
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Throwable cause = ex;
        String field = null; // the body field being read when a value's own parser failed
        while (cause != null) {
            if (cause instanceof BodyLimitFilter.BodyTooLargeException tooLarge) {
                return problem(ex, HttpStatus.CONTENT_TOO_LARGE, ErrorKind.BODY_TOO_LARGE, tooLarge.getMessage(), List.of(), headers, request);
            }
            if (cause instanceof DatabindException bind && !bind.getPath().isEmpty() && field == null) {
                field = RequestErrors.field(bind);
            }
            if (cause instanceof DomainException.InvalidInput invalid) { // a value's own parser said why (an unknown task status)
                String name = field != null && !field.isEmpty() ? field : invalid.field();
                List<Problems.FieldError> errors = name == null ? List.of() : List.of(new Problems.FieldError(name, invalid.problem()));
                return problem(ex, HttpStatus.BAD_REQUEST, ErrorKind.INVALID_REQUEST,
                        errors.isEmpty() ? invalid.getMessage() : RequestErrors.detail(errors), errors, headers, request);
            }
            if (cause instanceof DatabindException bind && !bind.getPath().isEmpty() && !(cause.getCause() instanceof DomainException)) {
                List<Problems.FieldError> errors = List.of(RequestErrors.error(bind));
                return problem(ex, HttpStatus.BAD_REQUEST, ErrorKind.INVALID_REQUEST, RequestErrors.detail(errors), errors, headers, request);
            }
            if (cause instanceof StreamReadException read) {
                return problem(ex, HttpStatus.BAD_REQUEST, ErrorKind.MALFORMED_BODY,
                        "request body is not well-formed JSON: " + read.getOriginalMessage(), List.of(), headers, request);
            }
            cause = cause.getCause();
        }
        return problem(ex, HttpStatus.BAD_REQUEST, ErrorKind.MALFORMED_BODY, "request body is missing or is not a JSON object of the"
                + " expected shape", List.of(), headers, request);
    }

    /** A request body that breaks its record's constraints: one 400 naming every field and what is wrong with it. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<Problems.FieldError> errors = RequestErrors.errors(ex.getBindingResult());
        return problem(ex, HttpStatus.BAD_REQUEST, ErrorKind.INVALID_REQUEST, RequestErrors.detail(errors), errors, headers, request);
    }

    /** A body, path, query parameter or header that breaks its constraints ({@code limit=0}, a malformed id, a blank worker). */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex, HttpHeaders headers,
                                                                            HttpStatusCode status, WebRequest request) {
        List<Problems.FieldError> errors = RequestErrors.errors(ex);
        return problem(ex, HttpStatus.BAD_REQUEST, ErrorKind.INVALID_REQUEST, RequestErrors.detail(errors), errors, headers, request);
    }

    /** A method the path does not support: 405 with {@code Allow}, logged only at debug (a client's mistake, not the service's). */
    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex, HttpHeaders headers,
                                                                         HttpStatusCode status, WebRequest request) {
        log.debug("method not supported: {}", ex.getMessage());
        return handleExceptionInternal(ex, null, headers, status, request);
    }

    /**
     * Spring MVC's own failures (an unknown path, 405, 406, 415, a parameter of the wrong type or
     * missing) get a problem of ours: a stable {@code type}, the kind's title and a detail in the
     * client's words, never the framework's text.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers, HttpStatusCode status,
                                                             WebRequest request) {
        if (!(body instanceof ProblemDetail p && p.getType() != null && p.getType().toString().startsWith(ErrorKind.BASE))) {
            body = SpringProblems.of(ex, status);
        }
        return super.handleExceptionInternal(ex, body, headers, status, request);
    }

    /** Adds the instance (the request's path) to every problem that went through the base class. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
                                                          WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getInstance() == null
                && request instanceof org.springframework.web.context.request.ServletWebRequest servlet) {
            String instance = Problems.safeInstance(servlet.getRequest().getRequestURI());
            if (instance != null) {
                problem.setInstance(java.net.URI.create(instance));
            }
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private ResponseEntity<Object> problem(Exception ex, HttpStatus status, ErrorKind kind, String detail, List<Problems.FieldError> errors,
                                           HttpHeaders headers, WebRequest request) {
        return handleExceptionInternal(ex, Problems.withErrors(Problems.of(status, kind, detail, null), errors), headers, status, request);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, ErrorKind kind, String detail, HttpServletRequest request) {
        ProblemDetail body = Problems.of(status, kind, detail, Problems.safeInstance(request.getRequestURI()));
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
