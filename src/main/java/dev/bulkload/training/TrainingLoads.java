package dev.bulkload.training;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * The training set: every format (CSV, JSON, NDJSON), method (copy, batch) and mode (insert, upsert, update,
 * ignore), with {@code onError=skip} and {@code abort} each meeting a rejected row, atomic and not, mostly small
 * loads (the latency that a cold JVM costs) and a few large ones (the per-row loops). Keys are new for every round,
 * so the rows that upsert, update and ignore find are the ones inserted just before.
 */
final class TrainingLoads {

    /** The training table's columns: a key, text, a checked integer, numeric, a timestamp and a boolean. */
    static final String COLUMNS = "id bigint primary key, name text not null, qty integer not null check (qty >= 0), "
            + "price numeric(12,2), at timestamptz, ok boolean";

    private static final int SMALL = 10;

    private static final int LARGE = 2_000;

    private static final List<String> FORMATS = List.of("text/csv", "application/json", "application/x-ndjson");

    private static final List<String> METHODS = List.of("copy", "batch");

    private long nextId = 1;

    private TrainingLoads() {
    }

    /** The loads of all rounds, in the order they are sent. */
    static List<TrainingLoad> of(int rounds) {
        TrainingLoads loads = new TrainingLoads();
        List<TrainingLoad> all = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (String format : FORMATS) {
                for (String method : METHODS) {
                    all.addAll(loads.round(round, format, method));
                }
            }
        }
        return all;
    }

    private List<TrainingLoad> round(int round, String format, String method) {
        List<TrainingLoad> loads = new ArrayList<>();
        String base = "?method=" + method;
        List<Long> first = take(SMALL);
        String atomic = (round % 2 == 0) ? "" : "&atomic=false";
        loads.add(ok(base + atomic, format, rows(format, first, -1, round), 0));
        // the case a latency-sensitive caller sends most: a small clean insert, again
        loads.add(ok(base, format, rows(format, take(SMALL), -1, round), 0));
        loads.add(ok(base + "&onError=skip" + atomic, format, rows(format, take(SMALL), 3, round), 1));
        loads.add(new TrainingLoad(base + "&onError=abort", format, rows(format, take(SMALL), 7, round), 422, 0));
        // half the keys exist (the first small load's), half are new
        List<Long> half = new ArrayList<>(first.subList(0, SMALL / 2));
        half.addAll(take(SMALL / 2));
        loads.add(ok(base + "&mode=upsert&key=id", format, rows(format, half, -1, round), 0));
        // half the keys exist; a new one's row is bad
        List<Long> ignore = new ArrayList<>(first.subList(SMALL / 2, SMALL));
        ignore.addAll(take(SMALL / 2));
        loads.add(ok(base + "&mode=ignore&key=id&onError=skip", format, rows(format, ignore, 7, round), 1));
        // the last row matches nothing: a reject
        List<Long> update = new ArrayList<>(first.subList(1, SMALL));
        update.addAll(take(1));
        loads.add(ok(base + "&mode=update&key=id&onError=skip", format, rows(format, update, -1, round), 1));
        if (round % 10 == 0) {
            loads.add(ok(base, format, rows(format, take(LARGE), -1, round), 0));
            loads.add(ok(base + "&onError=skip", format, rows(format, take(LARGE), LARGE / 2, round), 1));
        }
        return loads;
    }

    private List<Long> take(int count) {
        long first = this.nextId;
        this.nextId += count;
        return LongStream.range(first, first + count).boxed().toList();
    }

    private static TrainingLoad ok(String query, String format, String body, int rejected) {
        return new TrainingLoad(query, format, body, 200, rejected);
    }

    /**
     * One row for each key; the row at index {@code bad} (-1: none) has a quantity PostgreSQL refuses, a negative
     * one (a check violation) in even rounds and text in odd ones (a type error).
     */
    static String rows(String format, List<Long> ids, int bad, int round) {
        StringBuilder body = new StringBuilder();
        boolean csv = format.equals("text/csv");
        boolean array = format.equals("application/json");
        if (csv) {
            body.append("id,name,qty,price,at,ok\n");
        }
        else if (array) {
            body.append('[');
        }
        IntStream.range(0, ids.size()).forEach((i) -> {
            long id = ids.get(i);
            String qty = (i != bad) ? Integer.toString((int) (id % 100)) : ((round % 2 == 0) ? "-1" : "x");
            String price = (id % 10_000) + "." + (id % 100 < 10 ? "0" : "") + (id % 100);
            String at = "2026-01-" + String.format("%02d", 1 + id % 28) + "T10:15:30Z";
            boolean ok = id % 3 == 0;
            if (csv) {
                body.append(id).append(",\"name ").append(id).append("\",").append(qty).append(',').append(price)
                    .append(',').append(at).append(',').append(ok).append('\n');
                return;
            }
            if (array && i > 0) {
                body.append(',');
            }
            String qtyJson = qty.equals("x") ? "\"x\"" : qty;
            body.append("{\"id\":").append(id).append(",\"name\":\"name ").append(id).append("\",\"qty\":")
                .append(qtyJson).append(",\"price\":").append(price).append(",\"at\":\"").append(at)
                .append("\",\"ok\":").append(ok).append('}');
            if (!array) {
                body.append('\n');
            }
        });
        if (array) {
            body.append(']');
        }
        return body.toString();
    }
}
