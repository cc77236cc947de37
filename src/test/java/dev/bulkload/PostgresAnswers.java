package dev.bulkload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * What PostgreSQL itself does with a statement, asked in a transaction that is always rolled back: tests
 * compare the service's answer with it instead of hard-coding a SQLSTATE.
 */
public final class PostgresAnswers {

    private final DataSource dataSource;

    public PostgresAnswers(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The SQLSTATE the statement fails with, or null when it succeeds; nothing it does remains. */
    public String sqlState(String sql, Object... parameters) {
        try (Connection connection = this.dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                statement.execute();
                return null;
            }
            catch (SQLException ex) {
                return ex.getSQLState();
            }
            finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The value PostgreSQL reads from {@code text} for the type, as text ({@code cast(text as type)::text}). */
    public String read(String text, String type) {
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select cast(? as " + type + ")::text")) {
            statement.setString(1, text);
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
