package dev.bulkload;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points the application context at the {@link TestDatabase}. */
public class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestDatabase.Settings settings = TestDatabase.settings();
        TestPropertyValues.of("spring.datasource.url=" + settings.url(),
                "spring.datasource.username=" + nullToEmpty(settings.username()),
                "spring.datasource.password=" + nullToEmpty(settings.password()))
            .applyTo(context);
    }

    private static String nullToEmpty(String value) {
        return (value != null) ? value : "";
    }
}
