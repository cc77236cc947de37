package dev.bulkload.catalog;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the loadable tables from {@code pg_catalog}, with bound parameters only. A table is loadable
 * when it is an ordinary or partitioned table the current user may INSERT into and the allow-list admits.
 */
@Component
public class TableCatalog {

    // A deferrable constraint of any kind (unique, primary key, foreign key, exclusion) is checked at commit
    // or cannot arbitrate ON CONFLICT, so writers need to know the table has one.
    private static final String TABLES = """
            select c.oid, n.nspname, c.relname, has_table_privilege(c.oid, 'SELECT') as readable, c.relrowsecurity,
                   exists (select 1 from pg_constraint d
                           where d.conrelid = c.oid and d.condeferrable
                             and coalesce((to_jsonb(d) ->> 'conenforced')::boolean, true)) as has_deferrable
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'p') and not c.relispartition
              and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
              and has_table_privilege(c.oid, 'INSERT')
            """;

    private static final String ALL_TABLES = TABLES + " order by n.nspname, c.relname";

    // A name without a schema is looked up along the search path; "a.b" also as schema a, table b.
    private static final String NAMED_TABLES = TABLES + """
              and ((n.nspname = :schema and c.relname = :name)
                   or (c.relname = :whole and n.nspname = any(current_schemas(false))))
            order by (n.nspname = :schema and c.relname = :name) desc,
                     array_position(current_schemas(false), n.nspname)
            """;

    // structured: a type whose shape for JSON values needs TYPES (a domain, a composite, an array)
    private static final String COLUMNS = """
            select a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod) as type,
                   not a.attnotnull as nullable, (a.atthasdef or a.attidentity <> '') as has_default,
                   a.attgenerated <> '' as generated, a.attidentity::text as identity, a.atttypid::bigint as type_oid,
                   (t.typtype in ('c', 'd') or t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc)
                       as structured
            from pg_attribute a join pg_type t on t.oid = a.atttypid
            where a.attrelid = any(:oids) and a.attnum > 0 and not a.attisdropped
            order by a.attrelid, a.attnum
            """;

    // Every type under the given ones: a domain's base type, an array's element type (a true array, as
    // PostgreSQL's IsTrueArrayType: point has a typelem too), a composite type's live attributes.
    private static final String TYPES = """
            with recursive wanted(oid) as (
                select t.oid from pg_type t where t.oid = any(:oids)
              union
                select u.child from wanted w join pg_type t on t.oid = w.oid
                cross join lateral (
                    select t.typbasetype as child where t.typtype = 'd'
                    union all
                    select t.typelem where t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc
                    union all
                    select a.atttypid from pg_attribute a
                    where t.typtype = 'c' and a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped
                ) u
            )
            select t.oid::bigint as oid, t.typtype::text as typtype, t.typbasetype::bigint as base,
                   (t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc) as is_array,
                   t.typelem::bigint as element,
                   array(select a.attname::text from pg_attribute a
                         where t.typtype = 'c' and a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped
                         order by a.attnum) as field_names,
                   array(select a.atttypid::bigint from pg_attribute a
                         where t.typtype = 'c' and a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped
                         order by a.attnum) as field_types
            from wanted w join pg_type t on t.oid = w.oid
            """;

    private static final String KEYS = """
            select i.indrelid, i.indisprimary, not i.indimmediate as deferrable,
                   (select relname from pg_class where oid = i.indexrelid) as index_name,
                   array(select a.attname::text
                         from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
                         join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                         order by k.ord) as columns
            from pg_index i
            where i.indrelid = any(:oids) and i.indisunique and i.indpred is null and i.indexprs is null
            order by i.indrelid, i.indisprimary desc, i.indexrelid
            """;

    // A NOT ENFORCED constraint (PostgreSQL 18) rejects no row, so it is left out. pg_constraint.conenforced
    // does not exist before 18; read through to_jsonb it is null there, where every constraint is enforced,
    // so one text serves 14 to 18. NOT VALID constraints stay: they still hold for new rows.
    private static final String CHECKS = """
            select c.conrelid, c.conname, pg_get_expr(c.conbin, c.conrelid) as expression,
                   array(select a.attname::text from unnest(c.conkey) k(attnum)
                         join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as columns
            from pg_constraint c
            where c.conrelid = any(:oids) and c.contype = 'c'
              and coalesce((to_jsonb(c) ->> 'conenforced')::boolean, true)
            order by c.conrelid, c.conname
            """;

    private static final String FOREIGN_KEYS = """
            select c.conrelid, c.conname, c.confrelid::regclass::text as referenced,
                   has_table_privilege(c.confrelid, 'SELECT') as readable, c.confrelid = c.conrelid as self,
                   array(select a.attname::text from unnest(c.conkey) with ordinality k(attnum, ord)
                         join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
                         order by k.ord) as columns,
                   array(select a.attname::text from unnest(c.confkey) with ordinality k(attnum, ord)
                         join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum
                         order by k.ord) as referenced_columns
            from pg_constraint c
            where c.conrelid = any(:oids) and c.contype = 'f'
              and coalesce((to_jsonb(c) ->> 'conenforced')::boolean, true)
            order by c.conrelid, c.conname
            """;

    private final JdbcClient jdbc;

    private final TableAllowList allowList;

    TableCatalog(JdbcClient jdbc, TablesProperties properties) {
        this.jdbc = jdbc;
        this.allowList = new TableAllowList(properties);
    }

    /** All loadable tables, ordered by schema and name. */
    public List<LoadableTable> tables() {
        return describe(this.jdbc.sql(ALL_TABLES).query(this::tableRef).list());
    }

    /**
     * The loadable table named {@code name} or {@code schema.name}, where a part in double quotes holds its
     * characters literally ({@code "public.x".t}); see {@link TableReference}.
     */
    public Optional<LoadableTable> find(String reference) {
        TableReference named = TableReference.parse(reference);
        List<TableRef> candidates = this.jdbc.sql(NAMED_TABLES)
            .param("schema", named.schema())
            .param("name", named.name())
            .param("whole", (named.whole() != null) ? named.whole() : "")
            .query(this::tableRef)
            .list();
        // describe keeps the candidates' order (the exact schema.name match first) and drops what is not allowed
        return describe(candidates).stream().findFirst();
    }

    /**
     * The loadable table {@code schema.name} as the catalog describes it now, never from a cache: what a load
     * compares its definition with to tell whether the table changed under it.
     */
    public Optional<LoadableTable> describe(String schema, String name) {
        List<TableRef> candidates = this.jdbc.sql(NAMED_TABLES)
            .param("schema", schema)
            .param("name", name)
            // no relation is named by the empty string, so only the exact schema.name matches
            .param("whole", "")
            .query(this::tableRef)
            .list();
        return describe(candidates).stream().findFirst();
    }

    // any relation at all (a view, a table the user may not insert into): a name taken is not created again
    private static final String RELATION_EXISTS = """
            select exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                           where n.nspname = :schema and c.relname = :name) as taken,
                   current_schema() as default_schema
            """;

    /**
     * The name a load with {@code create=true} creates {@code reference} under, when no loadable table has it:
     * {@code schema.name}, or {@code name} in the first schema of the search path ({@code current_schema()}).
     * @throws TableNotCreatableException when a relation of that name exists (it is not loadable), the allow-list
     * does not admit it, or the name is longer than PostgreSQL's 63 bytes
     */
    public TableName creatable(String reference) {
        TableReference named = TableReference.parse(reference);
        String schema = named.schema();
        String name = named.name();
        if (schema.isEmpty()) {
            name = (named.whole() != null) ? named.whole() : name;
        }
        if (name.isEmpty() || name.indexOf('\0') >= 0 || schema.indexOf('\0') >= 0) {
            throw new TableNotCreatableException(reference, "not a table name");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 63) {
            throw new TableNotCreatableException(reference, "a table name is at most 63 bytes");
        }
        Relation relation = relation(schema, name);
        String inSchema = schema;
        if (inSchema.isEmpty()) {
            inSchema = relation.defaultSchema();
            if (inSchema == null || inSchema.isEmpty()) {
                throw new TableNotCreatableException(reference, "no schema is named and the search path has none");
            }
            relation = relation(inSchema, name);
        }
        TableName table = new TableName(inSchema, name);
        if (relation.taken()) {
            throw new TableNotCreatableException(table.qualifiedName(), "a relation of that name exists");
        }
        if (!this.allowList.allows(inSchema, name)) {
            throw new TableNotCreatableException(table.qualifiedName(), "it is outside the tables this service loads "
                    + "(bulkload.tables)");
        }
        return table;
    }

    private Relation relation(String schema, String name) {
        return this.jdbc.sql(RELATION_EXISTS)
            .param("schema", schema)
            .param("name", name)
            .query((rs, row) -> new Relation(rs.getBoolean("taken"), rs.getString("default_schema")))
            .single();
    }

    /** Whether a relation has a name, and the schema a name without one is created in. */
    private record Relation(boolean taken, String defaultSchema) {
    }

    /** Like {@link #find}, but a missing table is a {@link TableNotFoundException}. */
    public LoadableTable require(String reference) {
        return find(reference).orElseThrow(() -> new TableNotFoundException(reference));
    }

    private boolean allowed(TableRef ref) {
        return this.allowList.allows(ref.schema(), ref.name());
    }

    private List<LoadableTable> describe(List<TableRef> refs) {
        List<TableRef> allowed = refs.stream().filter(this::allowed).toList();
        if (allowed.isEmpty()) {
            return List.of();
        }
        Long[] oids = allowed.stream().map(TableRef::oid).toArray(Long[]::new);
        Map<Long, List<ColumnRow>> columnRows = new LinkedHashMap<>();
        this.jdbc.sql(COLUMNS).param("oids", oids).query((rs) -> {
            columnRows.computeIfAbsent(rs.getLong("attrelid"), (k) -> new ArrayList<>())
                .add(new ColumnRow(new LoadableColumn(rs.getString("attname"), rs.getString("type"),
                        rs.getBoolean("nullable"), rs.getBoolean("has_default"), rs.getBoolean("generated"),
                        LoadableColumn.Identity.of(rs.getString("identity")), TypeShape.SCALAR),
                        rs.getLong("type_oid"), rs.getBoolean("structured")));
        });
        TypeShapes shapes = typeShapes(columnRows.values().stream().flatMap(List::stream)
            .filter(ColumnRow::structured).map(ColumnRow::typeOid).distinct().toArray(Long[]::new));
        Map<Long, List<LoadableColumn>> columns = new LinkedHashMap<>();
        columnRows.forEach((oid, rows) -> columns.put(oid, rows.stream().map((row) -> {
            LoadableColumn column = row.column();
            return new LoadableColumn(column.name(), column.type(), column.nullable(), column.hasDefault(),
                    column.generated(), column.identity(), shapes.of(row.typeOid()));
        }).toList()));
        Map<Long, List<String>> primaryKeys = new LinkedHashMap<>();
        Map<Long, List<List<String>>> uniqueKeys = new LinkedHashMap<>();
        Map<Long, Map<List<String>, String>> keyNames = new LinkedHashMap<>();
        Map<Long, List<List<String>>> deferrableKeys = new LinkedHashMap<>();
        this.jdbc.sql(KEYS).param("oids", oids).query((rs) -> {
            long oid = rs.getLong("indrelid");
            List<String> keyColumns = stringList(rs.getArray("columns"));
            keyNames.computeIfAbsent(oid, (k) -> new LinkedHashMap<>()).putIfAbsent(keyColumns, rs.getString("index_name"));
            if (rs.getBoolean("deferrable")) {
                deferrableKeys.computeIfAbsent(oid, (k) -> new ArrayList<>()).add(keyColumns);
            }
            if (rs.getBoolean("indisprimary")) {
                primaryKeys.put(oid, keyColumns);
            }
            else {
                uniqueKeys.computeIfAbsent(oid, (k) -> new ArrayList<>()).add(keyColumns);
            }
        });
        Map<Long, List<CheckConstraint>> checks = new LinkedHashMap<>();
        this.jdbc.sql(CHECKS).param("oids", oids).query((rs) -> {
            checks.computeIfAbsent(rs.getLong("conrelid"), (k) -> new ArrayList<>())
                .add(new CheckConstraint(rs.getString("conname"), rs.getString("expression"),
                        stringList(rs.getArray("columns"))));
        });
        Map<Long, List<ForeignKey>> foreignKeys = new LinkedHashMap<>();
        this.jdbc.sql(FOREIGN_KEYS).param("oids", oids).query((rs) -> {
            foreignKeys.computeIfAbsent(rs.getLong("conrelid"), (k) -> new ArrayList<>())
                .add(new ForeignKey(rs.getString("conname"), stringList(rs.getArray("columns")),
                        rs.getString("referenced"), stringList(rs.getArray("referenced_columns")),
                        rs.getBoolean("readable"), rs.getBoolean("self")));
        });
        return allowed.stream()
            .map((ref) -> new LoadableTable(ref.schema(), ref.name(), columns.getOrDefault(ref.oid(), List.of()),
                    primaryKeys.getOrDefault(ref.oid(), List.of()), uniqueKeys.getOrDefault(ref.oid(), List.of()),
                    checks.getOrDefault(ref.oid(), List.of()), foreignKeys.getOrDefault(ref.oid(), List.of()),
                    keyNames.getOrDefault(ref.oid(), Map.of()), ref.readable(),
                    deferrableKeys.getOrDefault(ref.oid(), List.of()), ref.hasDeferrable(), ref.rowSecurity()))
            .toList();
    }

    /** The shapes of the given types and of every type under them; one query, none when no type is given. */
    private TypeShapes typeShapes(Long[] typeOids) {
        Map<Long, TypeShapes.TypeRow> rows = new LinkedHashMap<>();
        if (typeOids.length > 0) {
            this.jdbc.sql(TYPES).param("oids", typeOids).query((rs) -> {
                rows.put(rs.getLong("oid"), new TypeShapes.TypeRow(rs.getString("typtype"), rs.getLong("base"),
                        rs.getBoolean("is_array"), rs.getLong("element"), stringList(rs.getArray("field_names")),
                        Arrays.asList((Long[]) rs.getArray("field_types").getArray())));
            });
        }
        return new TypeShapes(rows);
    }

    private TableRef tableRef(ResultSet rs, int rowNum) throws SQLException {
        return new TableRef(rs.getLong("oid"), rs.getString("nspname"), rs.getString("relname"),
                rs.getBoolean("readable"), rs.getBoolean("has_deferrable"), rs.getBoolean("relrowsecurity"));
    }

    private static List<String> stringList(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    private record ColumnRow(LoadableColumn column, long typeOid, boolean structured) {
    }

    private record TableRef(long oid, String schema, String name, boolean readable, boolean hasDeferrable,
            boolean rowSecurity) {
    }
}
