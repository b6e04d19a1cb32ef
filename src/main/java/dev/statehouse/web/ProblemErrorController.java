package dev.statehouse.web;


import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page: whatever fails before Spring MVC handles a request (a URL the
 * firewall refuses, an error in a filter) still answers problem+json, never an HTML or ad-hoc page.
 */
@RestController
@io.swagger.v3.oas.annotations.Hidden // the container's error page, not an operation of the API
public class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // called directly (GET /error), not by the container for a failure: there is no such path
        HttpStatus status = HttpStatus.resolve(code instanceof Integer i ? i : 404);
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        // an unparseable URI may be why we are here: then no instance
        ProblemDetail body = Problems.of(status, Problems.kindFor(status.value()),
                status.is5xxServerError() ? "the request could not be completed"
                        : status == HttpStatus.NOT_FOUND ? "no operation is served at this path" : "the request was rejected",
                uri instanceof String s ? Problems.safeInstance(s) : null);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
