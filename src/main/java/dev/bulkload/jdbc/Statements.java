package dev.bulkload.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/** Runs a statement on the load's connection, which every caller passes explicitly. */
public final class Statements {

    private Statements() {
    }

    /** Runs statements that answer nothing. */
    public static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Runs an INSERT, UPDATE or DELETE with bound parameters; returns the rows it touched. */
    public static long update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeLargeUpdate();
        }
    }

    /** The first column of every row the query answers, as longs. */
    public static long[] longs(Connection connection, String sql, Object... parameters) throws SQLException {
        long[][] values = { new long[16] };
        int[] count = { 0 };
        query(connection, sql, (rs) -> {
            if (count[0] == values[0].length) {
                values[0] = Arrays.copyOf(values[0], count[0] * 2);
            }
            values[0][count[0]++] = rs.getLong(1);
        }, parameters);
        return Arrays.copyOf(values[0], count[0]);
    }

    /**
     * Rows of a query, each handed to the consumer. Without parameters the text goes as it is (a plain
     * statement): catalog text such as a CHECK using jsonb's {@code ?} operator is not taken for a placeholder.
     */
    public static void query(Connection connection, String sql, RowConsumer consumer, Object... parameters)
            throws SQLException {
        if (parameters.length == 0) {
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    consumer.accept(rs);
                }
            }
            return;
        }
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                consumer.accept(rs);
            }
        }
    }

    /** A bigint array parameter. */
    public static java.sql.Array bigints(Connection connection, long[] values) throws SQLException {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return connection.createArrayOf("bigint", boxed);
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement;
        }
        catch (SQLException ex) {
            statement.close();
            throw ex;
        }
    }

    /** Reads one row of a result. */
    @FunctionalInterface
    public interface RowConsumer {

        void accept(ResultSet row) throws SQLException;
    }
}
