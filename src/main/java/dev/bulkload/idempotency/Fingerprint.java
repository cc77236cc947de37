package dev.bulkload.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What a load with an Idempotency-Key records of its request, to tell a retry of it from a different request
 * under the same key: the SHA-256 of the table and the options, and the SHA-256 of the body bytes as received
 * with their count, either the whole body or the prefix the load had read when it failed. Stored as text:
 * {@code <request>}, {@code <request>:<bytes>:<sha256>} (whole body) or {@code <request>:<bytes>+:<sha256>} (a
 * prefix).
 * @param request hex SHA-256 of the table and the options
 * @param bodyBytes bytes of the body covered, -1 when none
 * @param body hex SHA-256 of those bytes, null when none
 * @param whole whether they are the whole body
 */
record Fingerprint(String request, long bodyBytes, String body, boolean whole) {

    /** A request's fingerprint, its body not read yet. */
    static Fingerprint of(KeyedRequest request, String table) {
        MessageDigest sha = BodyDigest.sha256();
        String options = String.join("\n", table, request.writtenOptions());
        sha.update(options.getBytes(StandardCharsets.UTF_8));
        return new Fingerprint(HexFormat.of().formatHex(sha.digest()), -1, null, false);
    }

    static Fingerprint parse(String text) {
        if (text == null) {
            return new Fingerprint("", -1, null, false);
        }
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            return new Fingerprint(parts[0], -1, null, false);
        }
        boolean prefix = parts[1].endsWith("+");
        long bytes = Long.parseLong(prefix ? parts[1].substring(0, parts[1].length() - 1) : parts[1]);
        return new Fingerprint(parts[0], bytes, parts[2], !prefix);
    }

    /** This request's fingerprint with what the load read of its body. */
    Fingerprint withBody(BodyDigest digest) {
        if (digest == null) {
            return this;
        }
        return new Fingerprint(this.request, digest.count(), digest.hex(), digest.ended());
    }

    boolean hasBody() {
        return this.body != null;
    }

    @Override
    public String toString() {
        return hasBody() ? this.request + ":" + this.bodyBytes + (this.whole ? "" : "+") + ":" + this.body
                : this.request;
    }
}
