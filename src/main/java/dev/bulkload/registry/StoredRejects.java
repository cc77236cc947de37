package dev.bulkload.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
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
 * twice; read back in record order a page at a time, each page a short query of its own.
 */
@Component
class StoredRejects {

    private static final String INSERT = """
            insert into bulkload.load_rejects (load_id, record, line, column_name, sql_state, constraint_name, message,
                raw, raw_truncated)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (load_id, record) do nothing
            """;

    private static final String PAGE = """
            select record, line, column_name, sql_state, constraint_name, message, raw, raw_truncated
            from bulkload.load_rejects where load_id = ? and record > ? order by record limit ?
            """;

    private static final String CUT = """
            select count(*) from bulkload.load_rejects where load_id = ? and raw_truncated
            """;

    /**
     * Rejects read per page: each page is one short query on a pooled connection, given back before the page
     * is written to the client, so a slow reader never holds a connection; a page holds at most this many
     * rejects of at most {@code bulkload.load.reject-raw-bytes} of raw text each.
     */
    static final int PAGE_SIZE = 500;

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
                    statement.setBoolean(9, reject.rawTruncated());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("store rejects", SqlFailure.cause(ex));
        }
    }

    /**
     * Hands every stored reject of the load to {@code sink} in record order, a page at a time: the page is read
     * (keyset, after the last record handed on) and its connection given back before the sink sees it.
     */
    void stream(UUID load, Consumer<Reject> sink) {
        long after = 0;
        while (true) {
            List<Reject> page = page(load, after, PAGE_SIZE);
            page.forEach(sink);
            if (page.size() < PAGE_SIZE) {
                return;
            }
            after = page.get(page.size() - 1).record();
        }
    }

    /** Up to {@code limit} stored rejects of the load after record {@code after}, in record order. */
    List<Reject> page(UUID load, long after, int limit) {
        List<Reject> page = new ArrayList<>(Math.min(limit, PAGE_SIZE));
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement statement = connection.prepareStatement(PAGE)) {
                statement.setObject(1, load);
                statement.setLong(2, after);
                statement.setInt(3, limit);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        long line = rs.getLong("line");
                        Long lineOrNull = rs.wasNull() ? null : line;
                        page.add(new Reject(rs.getLong("record"), lineOrNull, rs.getString("column_name"),
                                rs.getString("sql_state"), rs.getString("constraint_name"), rs.getString("message"),
                                rs.getString("raw"), rs.getBoolean("raw_truncated")));
                    }
                }
            }
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("read rejects", ex);
        }
        return page;
    }

    /** How many of the load's stored rejects hold their record's text cut at the raw limit. */
    long cut(UUID load) {
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(CUT)) {
            connection.setAutoCommit(true);
            statement.setObject(1, load);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
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
