package dev.statehouse.web;

import dev.statehouse.domain.ErrorKind;
import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The limits on a request's size and shape, checked before anything reads it, each refused with a
 * problem+json 4xx:
 * <ul>
 * <li>bodies are capped at {@code statehouse.http.max-body-bytes}: a declared Content-Length over the
 * cap is 413 before the body is read; a chunked body is cut off when it passes the cap, which
 * surfaces as a 413 from {@link ProblemHandler};</li>
 * <li>a query string with more than {@code statehouse.http.max-query-parameters} parameters is 400,
 * and a form or multipart body 415 (the API takes JSON only): Tomcat would otherwise parse such
 * parameters on first access and fail with an exception (a 500) or its own HTML page.</li>
 * </ul>
 * One filter rather than two: it runs on every request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class BodyLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final int maxQueryParameters;

    public BodyLimitFilter(HttpProperties props) {
        this.maxBytes = props.maxBodyBytes();
        this.maxQueryParameters = props.maxQueryParameters();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null && parameters(query) > maxQueryParameters) {
            Problems.write(response, HttpStatus.BAD_REQUEST, ErrorKind.INVALID_REQUEST,
                    "at most " + maxQueryParameters + " query parameters are accepted", request.getRequestURI());
            return;
        }
        String type = request.getContentType();
        if (type != null && (type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
                || type.regionMatches(true, 0, "multipart/", 0, 10))) {
            Problems.write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, ErrorKind.UNSUPPORTED_MEDIA_TYPE,
                    "request bodies are JSON (application/json)", request.getRequestURI());
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            response.setHeader("Connection", "close");
            Problems.write(response, HttpStatus.CONTENT_TOO_LARGE, ErrorKind.BODY_TOO_LARGE,
                    "request body is larger than " + maxBytes + " bytes", request.getRequestURI());
            return;
        }
        chain.doFilter(new LimitedRequest(request, maxBytes), response);
    }

    private static int parameters(String query) {
        int n = 1;
        for (int i = 0; i < query.length(); i++) {
            if (query.charAt(i) == '&' || query.charAt(i) == ';') {
                n++;
            }
        }
        return n;
    }

    /** Thrown while reading a body that passes the cap. */
    public static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long max) {
            super("request body is larger than " + max + " bytes");
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long max;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), max);
            }
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long count;

        LimitedStream(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(int n) throws BodyTooLargeException {
            count += n;
            if (count > max) {
                throw new BodyTooLargeException(max);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
