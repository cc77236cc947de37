package dev.bulkload.merge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The transaction ids a load's merges wrote with, as the multirange every merge binds. */
class OwnWritesTests {

    @Test
    void consecutiveIdsCollapseAndOthersStayApartInOrder() {
        OwnWrites written = new OwnWrites();
        assertThat(written.multirange()).isEqualTo("{}");
        written.add(10);
        written.add(11);
        written.add(14);
        written.add(12);
        written.add(3);
        written.add(11);
        assertThat(written.multirange()).isEqualTo("{[3,3],[10,12],[14,14]}");
        written.add(13);
        assertThat(written.multirange()).isEqualTo("{[3,3],[10,14]}");
    }

    @Test
    void pastTheLimitTheClosestRangesJoinSoTheLiteralStaysShort() {
        OwnWrites written = new OwnWrites();
        for (int i = 0; i < 10_000; i++) {
            written.add(1000L + 3L * i);
        }
        written.add(50_000_000L);
        String literal = written.multirange();
        assertThat(literal.split("\\],\\[")).hasSize(OwnWrites.MAX_RANGES);
        assertThat(literal).startsWith("{[1000,").endsWith("[50000000,50000000]}");
    }
}
