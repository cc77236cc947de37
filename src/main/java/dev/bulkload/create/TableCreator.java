package dev.bulkload.create;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.jdbc.SqlFailure;
import dev.bulkload.session.LoadSession;

/**
 * Creates a load's new table in the load's open transaction (as the caller's role, when it has one: the role owns
 * the table) and describes it as the catalog would, read back in that same transaction, so the load writes into
 * it before anyone else can see it. A refusal by SQLSTATE: 42501 (no CREATE on the schema), 3F000 (no such schema),
 * 42P07 or 23505 (a table of that name was created meanwhile).
 */
@Component
public class TableCreator {

    private static final String COLUMNS = """
            select a.attname, format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable
            from pg_attribute a
            where a.attrelid = ?::regclass and a.attnum > 0 and not a.attisdropped
            order by a.attnum
            """;

    private static final String PRIMARY_KEY = """
            select c.conname from pg_constraint c where c.conrelid = ?::regclass and c.contype = 'p'
            """;

    /**
     * Runs the design's CREATE TABLE on the session's open transaction and reads the new table back.
     * @return the new table, as loads see a table
     * @throws CreateRefusedException when the database refuses it for one of the reasons above
     */
    public LoadableTable create(LoadSession session, TableDesign design) {
        String table = design.table().qualifiedName();
        try (Statement statement = session.connection().createStatement()) {
            statement.execute(design.statement());
        }
        catch (SQLException ex) {
            throw refused(table, design, ex);
        }
        try {
            return describe(session, design);
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("describe the new table", ex);
        }
    }

    private static RuntimeException refused(String table, TableDesign design, SQLException ex) {
        String state = ex.getSQLState();
        if ("42704".equals(state) && !design.primaryKey().isEmpty()) {
            // the types are known (checked before); what is missing is a key column's btree operator class
            return new CreateParameterException("key", "key=" + String.join(",", design.primaryKey()) + ": a "
                    + "column of this type cannot be part of a primary key (its type has no default btree "
                    + "operator class, as point and json have not); choose other key columns or another type");
        }
        if ("42710".equals(state)) {
            return new CreateRefusedException(table, CreateRefusedException.Reason.EXISTS, state,
                    "The name of " + table + " is taken in its schema by a type (a composite, enum or domain "
                            + "type, or a table's row type): choose another table name");
        }
        if ("42501".equals(state)) {
            return new CreateRefusedException(table, CreateRefusedException.Reason.FORBIDDEN, state,
                    "The database does not let you create " + table + " (no CREATE privilege on its schema, or "
                            + "no USAGE on a type it names)");
        }
        if ("3F000".equals(state)) {
            return new CreateRefusedException(table, CreateRefusedException.Reason.NO_SCHEMA, state,
                    "Cannot create " + table + ": its schema does not exist");
        }
        if ("42P07".equals(state) || "23505".equals(state)) {
            return new CreateRefusedException(table, CreateRefusedException.Reason.EXISTS, state,
                    "Table " + table + " was created by another request meanwhile; send the load again to load "
                            + "into it");
        }
        return SqlFailure.translate("CREATE TABLE", ex);
    }

    private static LoadableTable describe(LoadSession session, TableDesign design) throws SQLException {
        String name = design.table().sqlName();
        List<LoadableColumn> columns = new ArrayList<>();
        try (PreparedStatement statement = session.connection().prepareStatement(COLUMNS)) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    columns.add(new LoadableColumn(rs.getString("attname"), rs.getString("type"),
                            rs.getBoolean("nullable"), false, false));
                }
            }
        }
        Map<List<String>, String> keyNames = new HashMap<>();
        if (!design.primaryKey().isEmpty()) {
            try (PreparedStatement statement = session.connection().prepareStatement(PRIMARY_KEY)) {
                statement.setString(1, name);
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        keyNames.put(design.primaryKey(), rs.getString("conname"));
                    }
                }
            }
        }
        // the load's user (or role) owns the new table: it may read it, and it has no other constraint
        return new LoadableTable(design.table().schema(), design.table().name(), columns, design.primaryKey(),
                List.of(), List.of(), List.of(), keyNames, true, List.of(), false, false);
    }
}
