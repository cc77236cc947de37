package dev.bulkload.row;

/** Opens writers for one write method (COPY or JDBC batch) on the transaction's connection. */
public interface TargetWriters {

    /**
     * @param target where the rows go
     * @param rejects where refused rows go ({@code onError=skip}); null fails the write on the first one
     */
    RowWriter open(WriteTarget target, RejectSink rejects);
}
