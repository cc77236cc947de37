package dev.bulkload.idempotency;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import dev.bulkload.registry.IdempotencyKeys;
import dev.bulkload.registry.KeyedLoad;
import dev.bulkload.registry.RegisteredLoad;
import dev.bulkload.row.Reject;
import dev.bulkload.session.LoadSession;

/**
 * Decides what a load with an Idempotency-Key does, in a short claim of the key on the load's own connection (a
 * transaction under the key's lock): runs (the key is new, or its earlier load left nothing), resumes an earlier
 * attempt that committed chunks but ended without an answer to replay, replays the answer of one that ended with
 * one (nothing written), or is refused: 409 while a load with the key runs, 422 when the key came with other
 * options or another body. Nothing of the claim outlives its transaction but rows.
 */
public class Idempotency {

    private static final Logger logger = LoggerFactory.getLogger(Idempotency.class);

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final IdempotencyKeys keys;

    private final JsonMapper json;

    private final Class<?> reportType;

    private final int maxRejectsReported;

    /**
     * @param reportType what a load that succeeded answered, read back to replay it
     * @param maxRejectsReported most rejects a load's report lists, those of a resumed attempt's committed chunks
     * included
     */
    public Idempotency(IdempotencyKeys keys, JsonMapper json, Class<?> reportType, int maxRejectsReported) {
        this.keys = keys;
        this.json = json;
        this.reportType = reportType;
        this.maxRejectsReported = maxRejectsReported;
    }

    /**
     * @param request the request as sent (before the service adapts it)
     * @param table the table's qualified name
     * @param caller the caller's namespaced name as the registry records it, null without authentication
     * @throws IdempotencyKeyInUseException while a load with the key runs
     * @throws IdempotencyKeyMismatchException when the key came with other options or another body
     * @throws IdempotentReplayException with the answer to give again
     * @throws IdempotencyKeyUnattributedException when only a load recorded before callers were named by kind, under
     *         this caller's bare name, used the key
     */
    public IdempotentLoad claim(LoadSession session, RegisteredLoad entry, KeyedRequest request, String table,
            String caller,
            InputStream body) {
        String key = request.idempotencyKey();
        if (key == null) {
            return IdempotentLoad.NONE;
        }
        Fingerprint fingerprint = Fingerprint.of(request, table);
        this.keys.lock(session, caller, key);
        boolean claiming = true;
        try {
            KeyedLoad earlier = this.keys.find(session, caller, key);
            if (earlier != null && earlier.alive()) {
                throw new IdempotencyKeyInUseException(key, earlier.id());
            }
            if (earlier != null && earlier.leftNothing()) {
                // ended without an answer and without a committed chunk (or its replica died before one): nothing to
                // compare against or go on from, so this is the key's first load
                this.keys.release(session, earlier);
                earlier = null;
            }
            if (earlier == null) {
                UUID unattributed = this.keys.unattributed(session, caller, key);
                if (unattributed != null) {
                    logger.info("Load into {} refused: its Idempotency-Key was used by load {}, whose caller is not "
                            + "known to be {}", table, unattributed, caller);
                    throw new IdempotencyKeyUnattributedException(unattributed);
                }
                this.keys.register(session, entry, key, fingerprint.toString());
                commit(session, entry);
                claiming = false;
                return new IdempotentLoad(this.keys, key, fingerprint, request, null, List.of());
            }
            Fingerprint first = Fingerprint.parse(earlier.fingerprint());
            if (!first.request().equals(fingerprint.request())) {
                throw new IdempotencyKeyMismatchException(key, "This Idempotency-Key was used for a load with other "
                        + "options or another table (load " + earlier.id() + "); use a new key for a new request");
            }
            if (earlier.replayable()) {
                // the body is read outside the claim: it may arrive slowly, and nothing is written
                this.keys.commit(session);
                claiming = false;
                checkBody(key, first, body, earlier);
                logger.info("Load {} into {}: a retry with its Idempotency-Key gets its answer ({}) again", earlier.id(),
                        table, earlier.responseStatus());
                throw new IdempotentReplayException(earlier.responseStatus(), answer(earlier), earlier.id());
            }
            // ended without an answer to replay (the client went away, the service or the database failed, its
            // replica died) after committing chunks: this attempt takes the earlier one's place, after them
            entry.resumes(earlier.id(), earlier.committedCounts(), earlier.chunksCommitted(), earlier.attempt() + 1);
            long from = earlier.committedThrough() + 1;
            logger.info("Load {} into {} ({}): a retry with its Idempotency-Key runs it again from record {} "
                    + "(attempt {})", earlier.id(), table, earlier.status().label(), from, entry.attempt());
            this.keys.prepareResume(session, earlier.id(), from, entry.attempt());
            List<Reject> rejects = (earlier.committedCounts().rowsRejected() > 0 && request.skipBadRows())
                    ? this.keys.earlierRejects(session, earlier.id(), from, this.maxRejectsReported)
                    : List.of();
            commit(session, entry);
            claiming = false;
            return new IdempotentLoad(this.keys, key, fingerprint, request, earlier, rejects);
        }
        finally {
            if (claiming) {
                this.keys.rollback(session);
            }
        }
    }

    private void commit(LoadSession session, RegisteredLoad entry) {
        this.keys.commit(session);
        entry.claimed();
    }

    /**
     * The retry's body must be the one the first load read: all of it when that load read it whole, its first
     * bytes when it failed before the end. Read as it arrives, hashed, and dropped.
     */
    private static void checkBody(String key, Fingerprint first, InputStream body, KeyedLoad earlier) {
        if (!first.hasBody()) {
            return;
        }
        BodyDigest digest = new BodyDigest(body);
        try {
            byte[] buffer = new byte[64 * 1024];
            long remaining = first.bodyBytes();
            while (remaining > 0) {
                int n = digest.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    break;
                }
                remaining -= n;
            }
            boolean same = digest.count() == first.bodyBytes() && digest.hex().equals(first.body());
            if (same && first.whole()) {
                same = digest.read() < 0;
            }
            if (!same) {
                throw new IdempotencyKeyMismatchException(key, "This Idempotency-Key was used for a load with "
                        + "another body (load " + earlier.id() + "); use a new key for a new request");
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The first answer: the report as it was, or the problem. */
    private Object answer(KeyedLoad earlier) {
        if (earlier.responseStatus() == 200) {
            return this.json.readValue(earlier.response(), this.reportType);
        }
        Map<String, Object> map = this.json.readValue(earlier.response(), MAP);
        ProblemDetail problem = ProblemDetail.forStatus(HttpStatusCode.valueOf(earlier.responseStatus()));
        map.forEach((name, value) -> {
            switch (name) {
                case "type" -> problem.setType(URI.create(String.valueOf(value)));
                case "title" -> problem.setTitle((String) value);
                case "status" -> {
                }
                case "detail" -> problem.setDetail((String) value);
                case "instance" -> problem.setInstance(URI.create(String.valueOf(value)));
                default -> problem.setProperty(name, value);
            }
        });
        return problem;
    }
}
