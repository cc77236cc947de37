package dev.bulkload;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/** Checks the connections the service's pool hands out, all of them at once. */
public final class PooledConnections {

    private static final String STATE = """
            select count(*) filter (where c.oid is not null)
            from (select 1) one
            left join pg_class c on c.relnamespace = pg_my_temp_schema()
            """;

    private PooledConnections() {
    }

    /**
     * Borrows as many connections as the pool may hold, so none stays in the pool unexamined, and
     * asserts each is outside any transaction, in auto-commit, answers a query and holds no
     * temporary table of an earlier load.
     */
    public static void assertEveryOneIsClean(DataSource dataSource) throws SQLException {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        List<Connection> borrowed = new ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                borrowed.add(pool.getConnection());
            }
            for (Connection connection : borrowed) {
                // as the server said in its last ReadyForQuery, before this test sends anything
                assertThat(connection.unwrap(BaseConnection.class).getTransactionState()).as("transaction state")
                    .isEqualTo(TransactionState.IDLE);
                assertThat(connection.getAutoCommit()).as("auto-commit").isTrue();
                try (Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery(STATE)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).as("temporary tables left on a pooled connection").isZero();
                }
            }
        }
        finally {
            for (Connection connection : borrowed) {
                connection.close();
            }
        }
    }
}
