package dev.bulkload.copy;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.row.RowWriter;
import dev.bulkload.row.RowWriterFactory;

/** Opens {@code COPY FROM STDIN} writers on the connection bound to the current transaction. */
@Component
public class CopyRowWriterFactory implements RowWriterFactory {

    private static final int BUFFER_SIZE = 256 * 1024;

    private final DataSource dataSource;

    CopyRowWriterFactory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public RowWriter open(LoadableTable table, boolean[] columns) {
        Connection connection = DataSourceUtils.getConnection(this.dataSource);
        String sql = CopyStatement.copyIn(table, columns);
        try {
            CopyIn copyIn = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            return new CopyRowWriter(copyIn, connection, this.dataSource, table, columns, BUFFER_SIZE);
        }
        catch (SQLException ex) {
            DataSourceUtils.releaseConnection(connection, this.dataSource);
            throw CopyErrors.translate(ex, table, CopyErrors.NO_ROWS);
        }
    }
}
