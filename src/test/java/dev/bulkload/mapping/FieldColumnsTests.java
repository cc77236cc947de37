package dev.bulkload.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bulkload.catalog.LoadableColumn;
import dev.bulkload.catalog.LoadableTable;
import dev.bulkload.row.MalformedPayloadException;
import dev.bulkload.row.Row;

/** A mapping bound to a table: which column each field meets, and the conflicts that fail a load. */
class FieldColumnsTests {

    private static final LoadableTable USERS = new LoadableTable("public", "users",
            List.of(column("id"), column("name"), column("email"), column("created_at"),
                    new LoadableColumn("name_upper", "text", true, false, true), column("contact")),
            List.of("id"), List.of());

    private final Row row = new Row(USERS.columns().size());

    @Test
    void aMappedColumnThatDoesNotExistOrIsGeneratedIsRefusedNamingMap() {
        assertThatExceptionOfType(InvalidMappingException.class).isThrownBy(() -> bind(List.of("Full Name:nom"), null, null))
            .satisfies((ex) -> assertThat(ex.parameter()).isEqualTo("map"))
            .withMessageContaining("'nom'");
        assertThatExceptionOfType(InvalidMappingException.class)
            .isThrownBy(() -> bind(List.of("upper:name_upper"), null, null))
            .withMessageContaining("generated");
    }

    @Test
    void twoFieldsMappedToOneColumnAreRefusedNamingBoth() {
        assertThatExceptionOfType(InvalidMappingException.class)
            .isThrownBy(() -> bind(List.of("Full Name:name", "/user/name:name"), null, null))
            .withMessageContaining("'Full Name'")
            .withMessageContaining("'/user/name'")
            .withMessageContaining("'name'");
    }

    @Test
    void aHeaderIsMappedRenamedLooselyMatchedAndDropped() {
        FieldColumns fields = bind(List.of("Full Name:name", "_meta:"), "loose", null);
        assertThat(fields.header(List.of("Full Name", "E-mail", "_meta", "Created-At", " ID "), 1L))
            .containsExactly(1, 2, -1, 3, 0);
        assertThat(fields.ignoredFields()).isEmpty();
    }

    @Test
    void exactMatchingStillFindsTheOnlyColumnThatDiffersInCase() {
        assertThat(bind(null, null, null).header(List.of("NAME", "Email"), 1L)).containsExactly(1, 2);
    }

    @Test
    void unknownHeaderFieldsAreRefusedOrIgnoredOnceInOrder() {
        assertThatExceptionOfType(MalformedPayloadException.class)
            .isThrownBy(() -> bind(null, null, null).header(List.of("name", "trace_id"), 1L))
            .withMessageContaining("Unknown column 'trace_id'")
            .satisfies((ex) -> assertThat(ex.column()).isEqualTo("trace_id"));
        FieldColumns ignoring = bind(null, null, "ignore");
        assertThat(ignoring.header(List.of("trace_id", "name", "_meta", "email"), 1L)).containsExactly(-1, 1, -1, 2);
        assertThat(ignoring.ignoredFields()).containsExactly("trace_id", "_meta");
    }

    @Test
    void twoHeaderFieldsMeetingOneColumnAreRefusedNamingBoth() {
        assertThatExceptionOfType(MalformedPayloadException.class)
            .isThrownBy(() -> bind(null, "loose", null).header(List.of("email", "E-mail"), 1L))
            .withMessageContaining("'email' and 'E-mail'")
            .satisfies((ex) -> assertThat(ex.line()).isEqualTo(1L));
        assertThatExceptionOfType(MalformedPayloadException.class)
            .isThrownBy(() -> bind(List.of("Full Name:name"), null, null).header(List.of("Full Name", "name"), 1L))
            .withMessageContaining("'Full Name' and 'name'");
        assertThatExceptionOfType(MalformedPayloadException.class)
            .isThrownBy(() -> bind(null, null, null).header(List.of("name", "name"), 1L))
            .withMessageContaining("named twice");
    }

    @Test
    void aMapEntryWhoseFieldIsAbsentLeavesItsColumnToMatching() {
        // the OpenAPI example map=Full Name:name must not break a file whose header says name
        assertThat(bind(List.of("Full Name:name"), null, null).header(List.of("name", "email"), 1L))
            .containsExactly(1, 2);
    }

    @Test
    void anExplicitMapWinsOverMatching() {
        FieldColumns fields = bind(List.of("E-mail:contact"), "loose", null);
        assertThat(fields.header(List.of("E-mail", "email"), 1L)).containsExactly(5, 2);
    }

    @Test
    void aFieldMeetingSeveralColumnsLooselyIsRefusedNamingThem() {
        LoadableTable table = new LoadableTable("public", "t", List.of(column("created_at"), column("createdat")),
                List.of(), List.of());
        FieldColumns fields = FieldMapping.parse(null, "loose", null).bind(table, 100);
        assertThatExceptionOfType(MalformedPayloadException.class)
            .isThrownBy(() -> fields.header(List.of("Created-At"), 1L))
            .withMessageContaining("[created_at, createdat]");
        // an exact name still meets its own column
        assertThat(fields.header(List.of("createdat"), 1L)).containsExactly(1);
    }

    @Test
    void aJsonKeyIsResolvedOnceAndRemembered() {
        FieldColumns fields = bind(null, "loose", "ignore");
        FieldTarget first = fields.field("E-Mail", this.row);
        assertThat(first.column()).isEqualTo(2);
        assertThat(fields.field("E-Mail", this.row)).isSameAs(first);
        assertThat(fields.field("trace_id", this.row).skipped()).isTrue();
        assertThat(fields.field("trace_id", this.row).skipped()).isTrue();
        assertThat(fields.ignoredFields()).containsExactly("trace_id");
    }

    @Test
    void aSecondDistinctJsonKeyMeetingALooselyMetColumnFailsTheLoad() {
        FieldColumns fields = bind(null, "loose", null);
        this.row.reset(7, 9);
        fields.field("email", this.row);
        assertThatExceptionOfType(MalformedPayloadException.class).isThrownBy(() -> fields.field("E-mail", this.row))
            .withMessageContaining("'email' and 'E-mail'")
            .satisfies((ex) -> {
                assertThat(ex.record()).isEqualTo(7L);
                assertThat(ex.line()).isEqualTo(9L);
                assertThat(ex.column()).isEqualTo("email");
            });
    }

    @Test
    void exactMatchingKeepsLettingKeysThatDifferInCaseMeetOneColumn() {
        FieldColumns fields = bind(null, null, null);
        assertThat(fields.field("name", this.row).column()).isEqualTo(1);
        assertThat(fields.field("NAME", this.row).column()).isEqualTo(1);
    }

    @Test
    void aPointerAndAKeyMeetingOneColumnFailWhenTheSecondIsFound() {
        FieldColumns fields = bind(List.of("/user/id:contact"), null, null);
        FieldTarget user = fields.field("user", this.row);
        assertThat(user.column()).isEqualTo(-1);
        assertThat(user.refusal()).isNull();
        PointerNode id = user.pointers().child("id");
        assertThat(id.column()).isEqualTo(5);
        fields.found(id, this.row);
        fields.found(id, this.row);
        assertThatExceptionOfType(MalformedPayloadException.class).isThrownBy(() -> fields.field("contact", this.row))
            .withMessageContaining("'/user/id' and 'contact'");
    }

    @Test
    void aKeyBothMappedByNameAndTraversedByAPointerDoesBoth() {
        FieldColumns fields = bind(List.of("user:contact", "/user/id:id"), null, null);
        FieldTarget user = fields.field("user", this.row);
        assertThat(user.column()).isEqualTo(5);
        assertThat(user.pointers().child("id").column()).isZero();
        // a key that only pointers go into is not unknown
        assertThat(bind(List.of("/user/id:id"), null, null).field("user", this.row).refusal()).isNull();
    }

    @Test
    void arrayElementsAreFoundByCanonicalIndexOnly() {
        PointerNode items = bind(List.of("/items/1/id:id", "/items/01/name:name"), null, null).field("items", this.row)
            .pointers();
        assertThat(items.element(1).child("id").column()).isZero();
        assertThat(items.element(0)).isNull();
        assertThat(items.element(2)).isNull();
        assertThat(items.child("01").child("name").column()).isEqualTo(1);
    }

    @Test
    void ignoredFieldsAreListedAtMostAHundred() {
        FieldColumns fields = bind(null, null, "ignore");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            names.add("extra_" + i);
            fields.field("extra_" + i, this.row);
        }
        assertThat(fields.ignoredFields()).hasSize(FieldColumns.MAX_IGNORED_FIELDS)
            .containsExactlyElementsOf(names.subList(0, 100));
    }

    @Test
    void aKeyMatchingAGeneratedColumnIsRefused() {
        assertThat(bind(null, null, "ignore").field("name_upper", this.row).refusal()).contains("generated");
    }

    private static FieldColumns bind(List<String> map, String match, String unknownFields) {
        return FieldMapping.parse(map, match, unknownFields).bind(USERS, 64);
    }

    private static LoadableColumn column(String name) {
        return new LoadableColumn(name, "text", true, false, false);
    }
}
