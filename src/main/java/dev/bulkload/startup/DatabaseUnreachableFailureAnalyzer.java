package dev.bulkload.startup;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Properties;

import org.postgresql.Driver;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * A database that cannot be reached or refuses the login at start (Flyway's migration is the first to ask for a
 * connection): one line naming the host, the port and the cause, instead of pages of stack frames.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class DatabaseUnreachableFailureAnalyzer implements FailureAnalyzer {

    private final Environment environment;

    DatabaseUnreachableFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        String cause = cause(failure);
        if (cause == null) {
            return null;
        }
        String url = this.environment.getProperty("spring.datasource.url", "");
        return new FailureAnalysis("Cannot connect to the database at " + where(url) + ": " + cause + ".",
                "Check that PostgreSQL runs there and that SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and "
                        + "SPRING_DATASOURCE_PASSWORD are right.",
                failure);
    }

    /**
     * What went wrong in a few words, when the failure is a JDBC connection that could not be made (SQLSTATE class
     * 08, 28 or 3D); else null, so that other failures (an identity provider out of reach, say) are not taken for
     * the database's.
     */
    static String cause(Throwable failure) {
        SQLException connectionFailure = null;
        for (Throwable cause = failure; cause != null && connectionFailure == null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && isConnectionFailure(sql)) {
                connectionFailure = sql;
            }
        }
        if (connectionFailure == null) {
            return null;
        }
        for (Throwable cause = connectionFailure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException) {
                return "unknown host " + cause.getMessage();
            }
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (cause instanceof SocketTimeoutException) {
                return "no answer (connect timed out)";
            }
        }
        // the server refused the session (authentication, no such database): its own words, first line only
        String message = String.valueOf(connectionFailure.getMessage()).lines().findFirst().orElse("");
        return message + " (SQLSTATE " + connectionFailure.getSQLState() + ")";
    }

    /** SQLSTATE classes 08 (connection exception), 28 (invalid authorization), 3D (no such database). */
    private static boolean isConnectionFailure(SQLException ex) {
        String state = ex.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("28") || state.startsWith("3D"));
    }

    /** {@code host:port/database} from the JDBC URL, or the URL itself when pgJDBC cannot read it. */
    static String where(String url) {
        Properties parsed = Driver.parseURL(url, null);
        if (parsed == null) {
            return url.isEmpty() ? "(no spring.datasource.url)" : url;
        }
        String host = parsed.getProperty("PGHOST", "localhost");
        String port = parsed.getProperty("PGPORT", "5432");
        String database = parsed.getProperty("PGDBNAME", "");
        if (!host.contains(",")) {
            return host + ":" + port + "/" + database;
        }
        String[] hosts = host.split(",");
        String[] ports = port.split(",");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < hosts.length; i++) {
            all.append((i > 0) ? ", " : "").append(hosts[i]).append(':').append(ports[Math.min(i, ports.length - 1)]);
        }
        return all + "/" + database;
    }
}
