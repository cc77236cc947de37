package dev.bulkload.web.tomcat;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

import org.springframework.http.HttpHeaders;

/**
 * Makes a {@code Connection: close} answer mean it. Tomcat otherwise goes on reading (swallowing)
 * up to {@code server.tomcat.max-swallow-size} of a body nobody will read before it closes, so a
 * client still sending a large upload waits for a connection that will not be reused. With this the
 * answer is flushed and the connection closed without reading further.
 */
class ConnectionCloseValve extends ValveBase {

    ConnectionCloseValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        String connection = response.getHeader(HttpHeaders.CONNECTION);
        if (connection != null && connection.toLowerCase(Locale.ROOT).contains("close")) {
            // the same signal Tomcat gives itself for an upload over its limits: close once the answer is out
            request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
    }
}
