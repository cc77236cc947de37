package dev.bulkload.create;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.bulkload.jdbc.SqlFailure;

/**
 * Has PostgreSQL's own type parser ({@code to_regtype}) accept each {@code types=} entry before anything runs: a type
 * it does not know, or a pseudo-type no column can have ({@code void}, {@code record}, {@code any...}), is a 400
 * naming the entry. The type text is a bound parameter here, never SQL text.
 */
@Component
public class TypeNames {

    // typtype 'p': a pseudo-type; the text is a bound parameter, parsed as a type name and nothing else
    private static final String TYPE = """
            select t.typtype::text as kind, format_type(t.oid, null) as name, n.nspname as schema
            from pg_type t join pg_namespace n on n.oid = t.typnamespace where t.oid = to_regtype(:type)
            """;

    /** The service's own schema: a column of one of its types would tie a caller's table to the registry's tables. */
    private static final String OWN_SCHEMA = "bulkload";

    private final JdbcClient jdbc;

    TypeNames(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Checks every entry's type.
     * @throws CreateParameterException naming {@code types} and the first entry whose type PostgreSQL does not know
     * or that is a pseudo-type
     */
    public void check(List<TypeOverride> types) {
        for (TypeOverride type : types) {
            Optional<String[]> found;
            try {
                found = this.jdbc.sql(TYPE)
                    .param("type", type.type())
                    .query((rs, row) -> new String[] { rs.getString("kind"), rs.getString("schema") })
                    .optional();
            }
            catch (DataAccessException ex) {
                SQLException sql = SqlFailure.find(ex);
                String state = (sql != null) ? sql.getSQLState() : null;
                // a syntax error (42601) or an invalid name (42602, 22023...) in the type text: no such type
                if (state == null || !(state.startsWith("42") || state.startsWith("22"))) {
                    throw ex;
                }
                found = Optional.empty();
            }
            if (found.isEmpty()) {
                throw new CreateParameterException("types", "types=" + TypeOverride.printable(type.text())
                        + ": PostgreSQL knows no type '" + TypeOverride.printable(type.type()) + "'");
            }
            if (OWN_SCHEMA.equals(found.get()[1])) {
                throw new CreateParameterException("types", "types=" + TypeOverride.printable(type.text()) + ": '"
                        + TypeOverride.printable(type.type()) + "' is a type of the service's own schema "
                        + OWN_SCHEMA + ", which a loaded table may not use");
            }
            if ("p".equals(found.get()[0])) {
                throw new CreateParameterException("types", "types=" + TypeOverride.printable(type.text()) + ": '"
                        + TypeOverride.printable(type.type()) + "' is a pseudo-type, which no column can have");
            }
        }
    }
}
