package dev.bulkload.merge;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.catalog.SqlIdentifier;
import dev.bulkload.catalog.TypeShape;
import dev.bulkload.jdbc.RejectIsolator;
import dev.bulkload.jdbc.Relation;
import dev.bulkload.jdbc.RowLoader;
import dev.bulkload.jdbc.RowRefusals;
import dev.bulkload.jdbc.Savepoints;
import dev.bulkload.jdbc.Statements;
import dev.bulkload.row.ChunkLedger;
import dev.bulkload.row.ColumnSet;
import dev.bulkload.row.Reject;
import dev.bulkload.session.LoadSession;

/**
 * With {@code onError=skip}, when a chunk's rows did not fit their staging table's types: the rows go
 * into a staging table of text columns instead, one query finds every value its column's type refuses
 * (PostgreSQL's own input conversion: {@code pg_input_is_valid} on 16 and newer, a temporary function
 * before), those rows become rejects naming their column, and the others are converted into the typed
 * staging table. No row is sent twice more, and no message text is read.
 */
final class TypeValidation {

    private static final Pattern CHARACTER = Pattern.compile("character( varying)?(\\(\\d+\\))?");

    private static final Pattern BIT = Pattern.compile("bit( varying)?(\\(\\d+\\))?");

    private final LoadSession session;

    private final RowRefusals refusals;

    private final Connection connection;

    private final StagingTables stages;

    private final LoadableTable table;

    private final RowLoader loader;

    private final ColumnSet set;

    private final ChunkLedger ledger;

    private final int[] rows;

    TypeValidation(LoadSession session, RowRefusals refusals, StagingTables stages, LoadableTable table,
            RowLoader loader, ColumnSet set, ChunkLedger ledger, int[] rows) {
        this.session = session;
        this.refusals = refusals;
        this.connection = session.connection();
        this.stages = stages;
        this.table = table;
        this.loader = loader;
        this.set = set;
        this.ledger = ledger;
        this.rows = rows;
    }

    /** Stages the rows whose values fit their types; adds a reject for each of the others. */
    void run(List<Reject> rejects) throws SQLException {
        StagingSql sql = this.stages.sql(this.set);
        this.stages.prepareTextStage(this.set, this.rows.length);
        Relation text = new Relation(sql.textStage(), sql.quotedPresent(), StagingSql.RECORD);
        // text columns take any value but what no PostgreSQL text can hold (a NUL byte): isolate those
        RejectIsolator textFill = new RejectIsolator(this.refusals, this.ledger, (position) -> this.rows[position],
                (from, to) -> this.loader.load(this.connection, text, this.ledger, this.rows, from, to), false);
        textFill.write(0, this.rows.length);
        rejects.addAll(textFill.rejects());

        List<String> names = sql.present();
        List<String> errors = new ArrayList<>();
        List<String> conversions = new ArrayList<>();
        for (String name : names) {
            String type = this.table.column(name).type();
            boolean composite = this.table.column(name).shape().kind() == TypeShape.Kind.COMPOSITE;
            errors.add(acceptsAnyText(type) ? null : inputError(SqlIdentifier.quote(name), type, composite));
            conversions.add(conversion(SqlIdentifier.quote(name), type));
        }
        List<Long> invalid = new ArrayList<>();
        if (errors.stream().anyMatch((e) -> e != null)) {
            Statements.query(this.connection, sql.invalidValues(errors), (rs) -> {
                long record = rs.getLong(1);
                String[] columnErrors = (String[]) rs.getArray(2).getArray();
                for (int i = 0; i < columnErrors.length; i++) {
                    if (columnErrors[i] != null) {
                        int space = columnErrors[i].indexOf(' ');
                        rejects.add(this.ledger.reject(this.ledger.indexOf(record), names.get(i),
                                columnErrors[i].substring(0, space), null, columnErrors[i].substring(space + 1)));
                        invalid.add(record);
                        break;
                    }
                }
            });
        }
        convert(sql, conversions, invalid.stream().mapToLong(Long::longValue).sorted().toArray(), rejects);
    }

    /** Moves the valid text rows into the typed stage; rows that still fail are isolated. */
    private void convert(StagingSql sql, List<String> conversions, long[] invalid, List<Reject> rejects)
            throws SQLException {
        RangeSql insert = sql.insertFromText(conversions);
        java.sql.Array skip = Statements.bigints(this.connection, invalid);
        long first = this.ledger.record(this.rows[0]);
        long last = this.ledger.record(this.rows[this.rows.length - 1]);
        if (Savepoints.attempt(this.connection,
                () -> Statements.update(this.connection, insert.sql(), insert.parameters(first, last, skip))) == null) {
            return;
        }
        long[] records = Arrays.stream(Statements.longs(this.connection, sql.textRecords()))
            .filter((r) -> Arrays.binarySearch(invalid, r) < 0)
            .toArray();
        RejectIsolator isolator = new RejectIsolator(this.refusals, this.ledger,
                (position) -> this.ledger.indexOf(records[position]),
                (from, to) -> Statements.update(this.connection, insert.sql(),
                        insert.parameters(records[from], records[to - 1], skip)), false);
        isolator.write(0, records.length);
        rejects.addAll(isolator.rejects());
    }

    /** An expression answering {@code "<sqlstate> <message>"} when the column's text is not a valid value, else NULL. */
    private String inputError(String column, String type, boolean composite) throws SQLException {
        String typeLiteral = StagingSql.literal(type);
        if (this.session.serverVersion() >= 16) {
            return "CASE WHEN " + column + " IS NULL OR pg_input_is_valid(" + column + ", " + typeLiteral
                    + ") THEN NULL ELSE (SELECT e.sql_error_code || ' ' || e.message FROM pg_input_error_info("
                    + column + ", " + typeLiteral + ") e) END";
        }
        int digits = switch (type) {
            case "smallint" -> 4;
            case "integer" -> 9;
            case "bigint" -> 18;
            default -> 0;
        };
        // plain digits that cannot overflow surely fit (ltrim is cheaper than a regular expression)
        String surelyValid = (digits == 0) ? "" : " OR (" + column + " <> '' AND octet_length(" + column + ") <= "
                + digits + " AND ltrim(" + column + ", '0123456789') = '')";
        // the function catches the error in a subtransaction per value: skip values that surely fit
        return "CASE WHEN " + column + " IS NULL" + surelyValid + " THEN NULL ELSE "
                + this.stages.inputErrorFunction(type, composite) + "(" + column + ") END";
    }

    /**
     * The expression converting a text column to its type as COPY would, never cutting or padding a value: the
     * rows converted are those whose every value the type's input function took, and any left would fail here
     * rather than change. Character types take PostgreSQL's assignment conversion, which refuses a value too long
     * where a cast cuts it; bit strings go through {@code bit varying}, whose assignment to {@code bit(n)} or
     * {@code bit varying(n)} refuses a wrong length where a cast pads or cuts (text has no assignment cast to bit,
     * so the column alone would fail the statement with 42804 whatever the rows); every other type (arrays and
     * domains too) takes an explicit cast, which for these values is its input conversion.
     */
    private static String conversion(String column, String type) {
        if (type.equals("text") || CHARACTER.matcher(type).matches()) {
            return column;
        }
        if (BIT.matcher(type).matches()) {
            return column + "::bit varying";
        }
        return column + "::" + type;
    }

    private static boolean acceptsAnyText(String type) {
        return type.equals("text") || type.equals("character varying");
    }
}
