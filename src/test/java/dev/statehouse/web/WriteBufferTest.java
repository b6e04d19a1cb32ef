package dev.statehouse.web;

import dev.statehouse.support.ServerTestSupport;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API connector writes through a socket buffer of {@code statehouse.http.write-buffer-bytes}
 * (32 KB by default, Tomcat's own is 8 KB), so a default sidebar page leaves in one write.
 */
class WriteBufferTest extends ServerTestSupport {

    @Autowired
    WebServerApplicationContext context;

    @Test
    void theConnectorWritesThroughTheConfiguredBuffer() {
        Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();
        assertThat(String.valueOf(connector.getProperty("socket.appWriteBufSize"))).isEqualTo("32768");
        assertThat(http.get("/api/sessions?limit=200").status()).isEqualTo(200);
    }
}
