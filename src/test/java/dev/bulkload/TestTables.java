package dev.bulkload;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Creates uniquely named tables for a test, so tests never share rows. */
public final class TestTables {

    private static final AtomicInteger counter = new AtomicInteger();

    private final JdbcClient jdbc;

    public TestTables(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates {@code public.<prefix>_<n>} with the given column definitions and returns its name. */
    public String create(String prefix, String columns) {
        String name = prefix + "_" + counter.incrementAndGet() + "_" + System.nanoTime() % 100000;
        this.jdbc.sql("create table public." + name + " (" + columns + ")").update();
        return name;
    }

    /** The users table of the demo: id, name not null, email not null unique, created_at default now(). */
    public String users() {
        return create("users", "id bigserial primary key, name text not null, email text not null unique, "
                + "created_at timestamptz not null default now()");
    }

    public long count(String table) {
        return this.jdbc.sql("select count(*) from public." + table).query(Long.class).single();
    }
}
