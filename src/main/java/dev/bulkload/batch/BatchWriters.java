package dev.bulkload.batch;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

import dev.bulkload.jdbc.SqlFailure;
import dev.bulkload.row.RejectSink;
import dev.bulkload.row.RowWriter;
import dev.bulkload.row.TargetWriters;
import dev.bulkload.row.WriteTarget;

/** Opens JDBC batch writers on the connection bound to the current transaction. */
@Component
public class BatchWriters implements TargetWriters {

    private final DataSource dataSource;

    BatchWriters(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public RowWriter open(WriteTarget target, RejectSink rejects) {
        Connection connection = DataSourceUtils.getConnection(this.dataSource);
        try {
            return new BatchRowWriter(connection, this.dataSource, target, rejects);
        }
        catch (SQLException ex) {
            DataSourceUtils.releaseConnection(connection, this.dataSource);
            throw SqlFailure.translate("INSERT", ex);
        }
    }
}
