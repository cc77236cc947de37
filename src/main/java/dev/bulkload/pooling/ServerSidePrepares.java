package dev.bulkload.pooling;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Behind a transaction pooler pgJDBC must not prepare statements on the server ({@code prepareThreshold=0}): a
 * statement it prepared in one transaction is unknown to the backend of the next, and its names ({@code S_1},
 * {@code S_2}, …) collide with another connection's on a shared backend. In session pooling the driver's default
 * stays (its prepared statements make {@code method=batch} about three times faster, see bench/README.md).
 */
class ServerSidePrepares implements BeanPostProcessor {

    static final String PREPARE_THRESHOLD = "prepareThreshold";

    private final Environment environment;

    ServerSidePrepares(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource hikari && pooling() == Pooling.TRANSACTION
                && !hikari.getDataSourceProperties().containsKey(PREPARE_THRESHOLD)) {
            // a prepareThreshold given in the URL still wins over this; PoolingCheck refuses one that is not 0
            hikari.addDataSourceProperty(PREPARE_THRESHOLD, "0");
        }
        return bean;
    }

    private Pooling pooling() {
        return Binder.get(this.environment).bindOrCreate("bulkload.database", PoolingProperties.class).pooling();
    }
}
