package dev.bulkload.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Parsing the map, match and unknownFields options, and what they give the fingerprint and the report. */
class FieldMappingTests {

    @Test
    void anEntryIsSplitAtTheLastColon() {
        FieldMapping mapping = FieldMapping.parse(List.of("a:b:col", "Full Name:name", "_meta:"), null, null);
        assertThat(mapping.entries()).extracting(MapEntry::field).containsExactly("a:b", "Full Name", "_meta");
        assertThat(mapping.entries()).extracting(MapEntry::column).containsExactly("col", "name", "");
        assertThat(mapping.entries().get(2).drops()).isTrue();
    }

    @Test
    void aFieldStartingWithASlashIsAPointer() {
        MapEntry entry = FieldMapping.parse(List.of("/user/id:user_id"), null, null).entries().get(0);
        assertThat(entry.pointer().tokens()).containsExactly("user", "id");
        assertThat(FieldMapping.parse(List.of("/user/id:user_id"), null, null).hasPointers()).isTrue();
        assertThat(FieldMapping.parse(List.of("user:user_id"), null, null).hasPointers()).isFalse();
    }

    @Test
    void malformedEntriesNameTheMapParameter() {
        for (String bad : List.of("no-colon", ":name", "/a~2:name")) {
            assertThatExceptionOfType(InvalidMappingException.class)
                .isThrownBy(() -> FieldMapping.parse(List.of(bad), null, null))
                .satisfies((ex) -> assertThat(ex.parameter()).isEqualTo("map"));
        }
    }

    @Test
    void aFieldMappedTwiceIsRefusedAlsoWhenOnceAsAOneTokenPointer() {
        assertThatExceptionOfType(InvalidMappingException.class)
            .isThrownBy(() -> FieldMapping.parse(List.of("a:name", "a:email"), null, null))
            .withMessageContaining("'a' twice");
        assertThatExceptionOfType(InvalidMappingException.class)
            .isThrownBy(() -> FieldMapping.parse(List.of("a:name", "/a:email"), null, null))
            .withMessageContaining("'/a' twice");
        // a pointer into a field is another field than the field itself
        assertThat(FieldMapping.parse(List.of("user:doc", "/user/id:id"), null, null).entries()).hasSize(2);
    }

    @Test
    void onlyATopLevelFieldCanBeDropped() {
        assertThat(FieldMapping.parse(List.of("/_meta:"), null, null).entries()).hasSize(1);
        assertThatExceptionOfType(InvalidMappingException.class)
            .isThrownBy(() -> FieldMapping.parse(List.of("/user/secret:"), null, null))
            .withMessageContaining("map=user:");
    }

    @Test
    void tooManyEntriesAreRefused() {
        List<String> many = new ArrayList<>(Collections.nCopies(FieldMapping.MAX_ENTRIES + 1, "a:b"));
        assertThatExceptionOfType(InvalidMappingException.class)
            .isThrownBy(() -> FieldMapping.parse(many, null, null))
            .withMessageContaining("entries");
    }

    @Test
    void matchAndUnknownFieldsTakeTheirValuesInAnyCaseAndRefuseOthersByName() {
        FieldMapping mapping = FieldMapping.parse(null, "LOOSE", "Ignore");
        assertThat(mapping.match()).isEqualTo(NameMatch.LOOSE);
        assertThat(mapping.unknownFields()).isEqualTo(UnknownFields.IGNORE);
        assertThatExceptionOfType(InvalidMappingException.class)
            .isThrownBy(() -> FieldMapping.parse(null, "fuzzy", null))
            .satisfies((ex) -> assertThat(ex.parameter()).isEqualTo("match"))
            .withMessage("match must be one of [exact, loose]");
        assertThatExceptionOfType(InvalidMappingException.class)
            .isThrownBy(() -> FieldMapping.parse(null, null, "drop"))
            .satisfies((ex) -> assertThat(ex.parameter()).isEqualTo("unknownFields"));
    }

    @Test
    void theDefaultsAddNothingToTheFingerprint() {
        assertThat(FieldMapping.parse(null, null, null).writtenOptions()).isEmpty();
        assertThat(FieldMapping.parse(List.of(), "exact", "reject").writtenOptions()).isEmpty();
        assertThat(FieldMapping.parse(List.of("a:b"), null, null).writtenOptions())
            .isEqualTo("match=exact\nunknownFields=reject\nmap=a:b");
        assertThat(FieldMapping.parse(null, "loose", null).writtenOptions())
            .isNotEqualTo(FieldMapping.parse(null, null, "ignore").writtenOptions());
    }

    @Test
    void looseKeysIgnoreCaseSpacesUnderscoresHyphensAndDots() {
        assertThat(NameMatch.looseKey("E-mail Address")).isEqualTo("emailaddress");
        assertThat(NameMatch.looseKey("email_address")).isEqualTo("emailaddress");
        assertThat(NameMatch.looseKey("EmailAddress")).isEqualTo("emailaddress");
        assertThat(NameMatch.looseKey(" Email ")).isEqualTo("email");
        assertThat(NameMatch.looseKey("Created-At")).isEqualTo("createdat");
        assertThat(NameMatch.looseKey("user.id\t\u00a0")).isEqualTo("userid");
    }
}
