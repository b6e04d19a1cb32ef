package dev.statehouse.web;

import java.lang.management.ManagementFactory;

import com.sun.management.UnixOperatingSystemMXBean;
import org.apache.catalina.core.StandardHost;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP connector's limits.
 * <ul>
 * <li>Client connections can never exhaust the process's descriptors: the connector accepts at most
 * {@code statehouse.http.max-connections}, by default the soft RLIMIT_NOFILE less a reserve for what
 * the process itself needs (descriptors open at start, two per pooled connection and one shared,
 * and {@code statehouse.http.fd-reserve} for the management port's probes, the sampler, resource
 * files and logs). Past it, new connections wait in the kernel's accept queue instead of taking a
 * descriptor; idle ones are closed by the connection and keep-alive timeouts.</li>
 * <li>A body over {@code statehouse.http.max-body-bytes} is refused before it is read; the connector
 * then reads and discards up to eight times the cap before closing. Closed with bytes unread, the
 * kernel would answer the client's remaining bytes with a reset, which can overtake the 413.</li>
 * <li>Each connection's socket write buffer is {@code statehouse.http.write-buffer-bytes} (Tomcat's
 * default is 8 KB): Tomcat writes a response in pieces of at most that size, one system call and one
 * wake-up of the reader each, so a sidebar page of ~26 KB went out in four. Measured on the uncached
 * sidebar at one connection: +7 to +23 % in three alternated pairs (docs/benchmarks.md, issue 30).</li>
 * <li>Tomcat would answer an encoded '/' or '\' in a path (%2F, %5C) with its own HTML error page;
 * passed through, they reach the security firewall, which refuses them with a problem+json 400.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class TomcatConfig {

    private static final Logger log = LoggerFactory.getLogger(TomcatConfig.class);
    private static final int MIN_CONNECTIONS = 4;
    /** How much of an oversize body the connector reads and discards, in caps (see the class comment). */
    private static final long SWALLOW_FACTOR = 8;

    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheFirewall() {
        return connector -> {
            connector.setEncodedSolidusHandling("passthrough");
            connector.setEncodedReverseSolidusHandling("passthrough");
        };
    }

    /**
     * Tomcat's own error pages (for requests refused before the application) as problem+json: the
     * host adds {@link ProblemReportValve} at start, after the plain report valve Boot adds, so ours
     * reports first and Boot's then finds the body written. (Removing Boot's valve from the pipeline
     * broke the headers of asynchronous responses, SSE: measured, so both stay.)
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemJsonErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }

    /**
     * Added last ({@link Ordered#LOWEST_PRECEDENCE}), after Boot's own customizer has applied
     * {@code server.tomcat.max-connections} (8192), which it would otherwise overwrite.
     */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> connectionsBoundedByTheDescriptorLimit(
            HttpProperties props, @Value("${spring.datasource.hikari.maximum-pool-size:8}") int poolSize) {
        int configured = props.maxConnections();
        int reserve = props.fdReserve();
        return factory -> factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
                int max = configured > 0 ? configured : derived(reserve, poolSize);
                protocol.setMaxConnections(max);
                log.info("HTTP connector on port {}: at most {} connections", connector.getPort(), max);
            }
        });
    }

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> socketWriteBuffer(HttpProperties props) {
        return factory -> factory.addConnectorCustomizers(connector -> {
            if (!connector.setProperty("socket.appWriteBufSize", Integer.toString(props.writeBufferBytes()))) {
                throw new IllegalStateException("the HTTP connector took no socket.appWriteBufSize");
            }
        });
    }

    /** After Boot's customizer, which applies {@code server.tomcat.max-swallow-size} (2 MB). */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> oversizeBodiesSwallowed(HttpProperties props) {
        int swallow = (int) Math.min(Integer.MAX_VALUE, SWALLOW_FACTOR * props.maxBodyBytes());
        return factory -> factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setMaxSwallowSize(swallow);
            }
        });
    }

    /** Soft limit − (open now + 2 × pool + 1 + reserve), at least {@value #MIN_CONNECTIONS}; 8192 (Tomcat's own) when the limit is unknown. */
    static int derived(int reserve, int poolSize) {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os)) {
            return 8192;
        }
        long limit = os.getMaxFileDescriptorCount();
        long open = os.getOpenFileDescriptorCount();
        if (limit <= 0 || open < 0) {
            return 8192;
        }
        long free = limit - open - (2L * poolSize + 1) - reserve;
        return (int) Math.max(MIN_CONNECTIONS, Math.min(Integer.MAX_VALUE, free));
    }
}
