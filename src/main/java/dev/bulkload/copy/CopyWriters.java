package dev.bulkload.copy;

import java.sql.Connection;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

import dev.bulkload.row.RejectSink;
import dev.bulkload.row.RowWriter;
import dev.bulkload.row.TargetWriters;
import dev.bulkload.row.WriteTarget;

/** Opens {@code COPY FROM STDIN} writers on the connection bound to the current transaction. */
@Component
public class CopyWriters implements TargetWriters {

    private static final int BUFFER_SIZE = 256 * 1024;

    private final DataSource dataSource;

    CopyWriters(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public RowWriter open(WriteTarget target, RejectSink rejects) {
        Connection connection = DataSourceUtils.getConnection(this.dataSource);
        try {
            return new CopyRowWriter(connection, this.dataSource, target, rejects, BUFFER_SIZE);
        }
        catch (RuntimeException ex) {
            DataSourceUtils.releaseConnection(connection, this.dataSource);
            throw ex;
        }
    }
}
