package dev.statehouse.web;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat would answer an encoded '/' or '\' in a path (%2F, %5C) with its own HTML error page;
 * passed through, they reach the security firewall, which refuses them with a problem+json 400.
 */
@Configuration(proxyBeanMethods = false)
public class TomcatConfig {

    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheFirewall() {
        return connector -> {
            connector.setEncodedSolidusHandling("passthrough");
            connector.setEncodedReverseSolidusHandling("passthrough");
        };
    }
}
