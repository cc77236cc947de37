package dev.bulkload.health;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import dev.bulkload.ingest.LoadProperties;

/**
 * Bounds how long a connection waits for a silent database: pgJDBC's {@code socketTimeout} is set to the
 * load's statement timeout plus a margin (a statement the server still runs answers before it), and
 * {@code tcpKeepAlive} is on. A {@code socketTimeout} set in
 * {@code spring.datasource.hikari.data-source-properties} wins.
 */
class ConnectionTimeouts implements BeanPostProcessor {

    /** How much longer than the statement timeout a read may wait for the server's answer. */
    static final Duration MARGIN = Duration.ofSeconds(5);

    private final Environment environment;

    ConnectionTimeouts(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource hikari) {
            if (!hikari.getDataSourceProperties().containsKey("tcpKeepAlive")) {
                hikari.addDataSourceProperty("tcpKeepAlive", "true");
            }
            Duration statementTimeout = Binder.get(this.environment)
                .bindOrCreate("bulkload.load", LoadProperties.class)
                .statementTimeout();
            if (!hikari.getDataSourceProperties().containsKey("socketTimeout") && !statementTimeout.isZero()) {
                long seconds = statementTimeout.plus(MARGIN).plusMillis(999).toSeconds();
                hikari.addDataSourceProperty("socketTimeout", Long.toString(seconds));
            }
        }
        return bean;
    }
}
