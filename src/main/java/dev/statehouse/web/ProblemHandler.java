package dev.statehouse.web;

import dev.statehouse.domain.DomainException;
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

    /** The one mapping from the domain's failures to HTTP statuses. */
    static HttpStatus status(DomainException e) {
        if (e instanceof DomainException.InvalidInput) return HttpStatus.BAD_REQUEST;
        if (e instanceof DomainException.NotFound) return HttpStatus.NOT_FOUND;
        if (e instanceof DomainException.Conflict) return HttpStatus.CONFLICT;
        if (e instanceof DomainException.Gone) return HttpStatus.GONE;
        if (e instanceof DomainException.Unprocessable) return HttpStatus.UNPROCESSABLE_CONTENT;
        if (e instanceof DomainException.Unavailable) return HttpStatus.SERVICE_UNAVAILABLE;
        if (e instanceof DomainException.OutOfSpace) return HttpStatus.INSUFFICIENT_STORAGE;
        return HttpStatus.INTERNAL_SERVER_ERROR;
    }

    @ExceptionHandler(DomainException.class)
    public ResponseEntity<ProblemDetail> domain(DomainException e, HttpServletRequest request) {
        ResponseEntity<ProblemDetail> response = problem(status(e), e.title(), e.getMessage(), request);
        return e.retryAfterSeconds() == null ? response : withRetryAfter(response, e.retryAfterSeconds().toString());
    }

    private static ResponseEntity<ProblemDetail> withRetryAfter(ResponseEntity<ProblemDetail> response, String seconds) {
        return ResponseEntity.status(response.getStatusCode())
                .headers(response.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, seconds)
                .body(response.getBody());
    }

    @ExceptionHandler({DataAccessException.class, TransactionException.class})
    public ResponseEntity<ProblemDetail> dataAccess(Exception e, HttpServletRequest request) {
        StorageErrors.StorageFault fault = StorageErrors.fault(e); // only mapped: storage recorded it itself
        int suppressed = budget.take(request.getRemoteAddr());
        if (fault == StorageErrors.StorageFault.DISK_FULL) {
            if (suppressed >= 0) log.warn("disk full for {} {}: {}", request.getMethod(), request.getRequestURI(), StorageErrors.rootMessage(e));
            return withRetryAfter(problem(HttpStatus.INSUFFICIENT_STORAGE, "Insufficient storage",
                    "the database's file system is full; nothing was written. Reads still work; retry when space is freed", request),
                    "30");
        }
        if (fault != null) {
            if (suppressed >= 0) log.error("database {} for {} {}: {}", fault, request.getMethod(), request.getRequestURI(), StorageErrors.rootMessage(e));
            return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Database error", "the request could not be completed", request);
        }
        if (StorageErrors.isUnavailable(e)) {
            if (suppressed >= 0) log.warn("database unavailable for {} {}: {}", request.getMethod(), request.getRequestURI(),
                    StorageErrors.rootMessage(e));
            return withRetryAfter(problem(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable",
                    "the database cannot be reached right now; retry shortly", request), UNAVAILABLE_RETRY_AFTER_SECONDS);
        }
        if (StorageErrors.isBusy(e)) {
            if (suppressed >= 0) log.warn("database busy for {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            return withRetryAfter(problem(HttpStatus.SERVICE_UNAVAILABLE, "Database busy",
                    "the database is busy; retry shortly", request), RETRY_AFTER_SECONDS);
        }
        if (suppressed >= 0) {
            log.error("database error for {} {}{}", request.getMethod(), request.getRequestURI(), suppressedNote(suppressed), e);
        }
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Database error", "the request could not be completed", request);
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
        return problem(HttpStatus.BAD_REQUEST, "Invalid request parameters", "the request has too many or malformed parameters", request);
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
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "the request could not be completed", request);
    }

    private static String suppressedNote(int suppressed) {
        return suppressed == 0 ? "" : " (" + suppressed + " earlier line(s) from this client suppressed)";
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Throwable cause = ex;
        while (cause != null) {
            if (cause instanceof BodyLimitFilter.BodyTooLargeException tooLarge) {
                return invalid(ex, HttpStatus.CONTENT_TOO_LARGE, "Request body too large", tooLarge.getMessage(), headers, request);
            }
            if (cause instanceof DomainException domain) { // a value's own parser said why (an unknown task status)
                return invalid(ex, HttpStatus.BAD_REQUEST, "Invalid request", domain.getMessage(), headers, request);
            }
            if (cause instanceof DatabindException bind && !bind.getPath().isEmpty()) {
                return invalid(ex, HttpStatus.BAD_REQUEST, "Invalid request", RequestErrors.describe(bind), headers, request);
            }
            if (cause instanceof StreamReadException read) {
                return invalid(ex, HttpStatus.BAD_REQUEST, "Malformed request body",
                        "request body is not well-formed JSON: " + read.getOriginalMessage(), headers, request);
            }
            cause = cause.getCause();
        }
        return invalid(ex, HttpStatus.BAD_REQUEST, "Malformed request body", "request body is missing or is not a JSON object of the"
                + " expected shape", headers, request);
    }

    /** A request body that breaks its record's constraints: one 400 naming every field and what is wrong with it. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        return invalid(ex, HttpStatus.BAD_REQUEST, "Invalid request", RequestErrors.describe(ex.getBindingResult()), headers, request);
    }

    /** A path or query parameter that breaks its constraints ({@code limit=0}, a malformed id). */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex, HttpHeaders headers,
                                                                            HttpStatusCode status, WebRequest request) {
        return invalid(ex, HttpStatus.BAD_REQUEST, "Invalid request", RequestErrors.describe(ex), headers, request);
    }

    /** Spring MVC's own problems (404 route, 405, 415, type mismatch) get the same five fields as ours. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
                                                          WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            if (problem.getType() == null) {
                problem.setType(Problems.ABOUT_BLANK);
            }
            if (problem.getInstance() == null && request instanceof org.springframework.web.context.request.ServletWebRequest servlet) {
                String instance = Problems.safeInstance(servlet.getRequest().getRequestURI());
                if (instance != null) {
                    problem.setInstance(java.net.URI.create(instance));
                }
            }
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private ResponseEntity<Object> invalid(Exception ex, HttpStatus status, String title, String detail, HttpHeaders headers,
                                           WebRequest request) {
        return handleExceptionInternal(ex, Problems.of(status, title, detail, null), headers, status, request);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail, HttpServletRequest request) {
        ProblemDetail body = Problems.of(status, title, detail, Problems.safeInstance(request.getRequestURI()));
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
