package dev.bulkload.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

import dev.bulkload.jdbc.SqlFailure;
import dev.bulkload.row.Reject;

/**
 * A load's rejects in {@code bulkload.load_rejects}: written in batches on a pooled connection (never in the
 * load's transaction, so a failed load keeps them), idempotent per record so a chunk written again adds none
 * twice; read back in record order as a stream.
 */
@Component
class StoredRejects {

    private static final String INSERT = """
            insert into bulkload.load_rejects (load_id, record, line, column_name, sql_state, constraint_name, message,
                raw)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (load_id, record) do nothing
            """;

    private static final String SELECT = """
            select record, line, column_name, sql_state, constraint_name, message, raw
            from bulkload.load_rejects where load_id = ? order by record
            """;

    /** Rows fetched per round trip while streaming, so a large download is never held whole. */
    private static final int FETCH_SIZE = 1000;

    private final DataSource dataSource;

    StoredRejects(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void store(UUID load, List<Reject> rejects) {
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                for (Reject reject : rejects) {
                    statement.setObject(1, load);
                    statement.setLong(2, reject.record());
                    if (reject.line() != null) {
                        statement.setLong(3, reject.line());
                    }
                    else {
                        statement.setNull(3, Types.BIGINT);
                    }
                    statement.setString(4, reject.column());
                    statement.setString(5, reject.sqlState());
                    statement.setString(6, reject.constraint());
                    statement.setString(7, withoutNul(reject.message()));
                    statement.setString(8, withoutNul(reject.raw()));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("store rejects", SqlFailure.cause(ex));
        }
    }

    /** Hands every stored reject of the load to {@code sink} in record order, a page of rows at a time. */
    void stream(UUID load, Consumer<Reject> sink) {
        try (Connection connection = this.dataSource.getConnection()) {
            // a cursor needs a transaction: the rows then come FETCH_SIZE at a time
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
                statement.setFetchSize(FETCH_SIZE);
                statement.setObject(1, load);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        long line = rs.getLong("line");
                        Long lineOrNull = rs.wasNull() ? null : line;
                        sink.accept(new Reject(rs.getLong("record"), lineOrNull, rs.getString("column_name"),
                                rs.getString("sql_state"), rs.getString("constraint_name"), rs.getString("message"),
                                rs.getString("raw")));
                    }
                }
            }
            finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("read rejects", ex);
        }
    }

    /** PostgreSQL text cannot hold NUL; a reject's raw bytes may. */
    private static String withoutNul(String text) {
        return (text != null && text.indexOf('\0') >= 0) ? text.replace('\0', '\uFFFD') : text;
    }
}
