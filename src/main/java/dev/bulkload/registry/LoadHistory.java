package dev.bulkload.registry;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.bulkload.jdbc.SqlFailure;

/** Reads loads from the registry: one by id, or a page of them newest first with a cursor. */
@Component
class LoadHistory {

    private static final String COLUMNS = """
            select id, table_name, status, format, mode, method, atomic, dry_run, rows_received, rows_inserted,
                rows_updated, rows_skipped, rows_rejected, rows_committed, batches, bytes_read, rows_per_second,
                (extract(epoch from coalesce(finished_at, clock_timestamp()) - started_at) * 1000)::bigint
                    as duration_ms,
                started_at, updated_at, finished_at, principal, idempotency_key, replica, cancel_requested,
                options::text as options, problem::text as problem, resumed_from_record, attempt, trace_id,
                source_name
            from bulkload.loads
            """;

    private static final String BY_ID = COLUMNS + "where id = ?";

    private static final String SOURCE_HEADER = "select source_header from bulkload.loads where id = ?";

    // every filter is optional: a null parameter turns its condition off
    private static final String PAGE = COLUMNS + """
            where (?::text is null or table_name = ?)
              and (?::text is null or status = ?)
              and (?::text[] is null or table_name = any(?::text[]))
              and (?::timestamptz is null or (started_at, id) < (?::timestamptz, ?::uuid))
            order by started_at desc, id desc
            limit ?
            """;

    private final DataSource dataSource;

    private final JsonMapper json;

    LoadHistory(DataSource dataSource, JsonMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    Optional<LoadView> find(UUID id) {
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(BY_ID)) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("read load", ex);
        }
    }

    /** The CSV header row the load read, as received; null without one (or for a load recorded before it was kept). */
    String sourceHeader(UUID id) {
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SOURCE_HEADER)) {
            statement.setObject(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("read load", ex);
        }
    }

    /**
     * A page of loads, newest first.
     * @param table only this table ({@code schema.name}), or null
     * @param status only loads in this status, or null
     * @param readable only loads of these tables (the caller's), or null for every table
     * @param limit the most loads on the page
     * @param before the cursor of the previous page, or null for the newest
     */
    LoadPage page(String table, LoadStatus status, List<String> readable, int limit, Cursor before) {
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(PAGE)) {
            int i = 1;
            statement.setString(i++, table);
            statement.setString(i++, table);
            String statusLabel = (status != null) ? status.label() : null;
            statement.setString(i++, statusLabel);
            statement.setString(i++, statusLabel);
            Array tables = (readable != null) ? connection.createArrayOf("text", readable.toArray()) : null;
            statement.setArray(i++, tables);
            statement.setArray(i++, tables);
            Timestamp beforeTime = (before != null) ? Timestamp.from(before.startedAt()) : null;
            statement.setTimestamp(i++, beforeTime);
            statement.setTimestamp(i++, beforeTime);
            if (before != null) {
                statement.setObject(i++, before.id());
            }
            else {
                statement.setNull(i++, Types.OTHER);
            }
            statement.setInt(i, limit + 1);
            List<LoadView> loads = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    loads.add(view(rs));
                }
            }
            String next = null;
            if (loads.size() > limit) {
                loads = loads.subList(0, limit);
                LoadView last = loads.get(limit - 1);
                next = new Cursor(last.startedAt(), last.id()).encode();
            }
            return new LoadPage(List.copyOf(loads), next);
        }
        catch (SQLException ex) {
            throw SqlFailure.translate("list loads", ex);
        }
    }

    private LoadView view(ResultSet rs) throws SQLException {
        long resumed = rs.getLong("resumed_from_record");
        Long resumedFrom = rs.wasNull() ? null : resumed;
        return new LoadView(rs.getObject("id", UUID.class), rs.getString("table_name"), rs.getString("status"),
                rs.getString("format"), rs.getString("mode"), rs.getString("method"), rs.getBoolean("atomic"),
                rs.getBoolean("dry_run"), rs.getLong("rows_received"), rs.getLong("rows_inserted"),
                rs.getLong("rows_updated"), rs.getLong("rows_skipped"), rs.getLong("rows_rejected"),
                rs.getLong("rows_committed"), rs.getLong("batches"), rs.getLong("bytes_read"),
                rs.getLong("rows_per_second"), rs.getLong("duration_ms"), instant(rs, "started_at"),
                instant(rs, "updated_at"), instant(rs, "finished_at"), rs.getString("principal"),
                rs.getString("idempotency_key"), rs.getString("replica"), rs.getBoolean("cancel_requested"),
                node(rs.getString("options")), node(rs.getString("problem")), resumedFrom,
                rs.getInt("attempt"), rs.getString("trace_id"), rs.getString("source_name"));
    }

    private JsonNode node(String text) {
        return (text != null) ? this.json.readTree(text) : null;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return (timestamp != null) ? timestamp.toInstant() : null;
    }

    /**
     * Where a page ended: the last load's start and id, opaque to clients.
     * @param startedAt the last load's start
     * @param id the last load's id
     */
    record Cursor(Instant startedAt, UUID id) {

        String encode() {
            String text = this.startedAt.getEpochSecond() + "." + this.startedAt.getNano() + "." + this.id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The cursor from {@code text}; empty when it is not one of ours. */
        static Optional<Cursor> decode(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\.",
                        3);
                return Optional.of(new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[0]),
                        Long.parseLong(parts[1])), UUID.fromString(parts[2])));
            }
            catch (RuntimeException ex) {
                return Optional.empty();
            }
        }
    }
}
