package dev.bulkload.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.bulkload.body.LoadFormat;

/** The catalogue of a load's parameters, derived from {@link LoadOptions}, and the names it suggests. */
class LoadParametersTests {

    @Test
    void everyComponentOfTheOptionsIsKnownByItsBindingName() {
        assertThat(LoadParameters.known().keySet()).startsWith("mode", "key", "method", "atomic", "onError",
                "maxErrors", "batchSize", "dryRun", "header", "delimiter", "quote", "null", "columns")
            .contains("recordsPath", "dateStyle")
            .doesNotContain("nullString");
        assertThat(LoadParameters.known()).hasSize(LoadOptions.class.getRecordComponents().length
                + (int) List.of("map", "unknownFields", "match", "charset", "overriding")
                    .stream()
                    .filter((name) -> List.of(LoadOptions.class.getRecordComponents())
                        .stream()
                        .noneMatch((c) -> c.getName().equals(name)))
                    .count());
    }

    @Test
    void theParametersOfOtherWorkOnThisIssueAreKnownBeforeTheyLand() {
        assertThat(LoadParameters.known()).containsKeys("map", "unknownFields", "match", "charset", "overriding");
        assertThat(LoadParameters.known().get("map").repeatable()).isTrue();
        assertThatNoExceptionForKnown(Map.of("map", List.of("a:b", "c:d"), "charset", List.of("ISO-8859-1")));
    }

    @Test
    void formatsComeFromTheComponentsAnnotations() {
        for (String csv : List.of("header", "delimiter", "quote", "null", "columns")) {
            assertThat(LoadParameters.known().get(csv).formats()).as(csv).containsExactly(LoadFormat.CSV);
        }
        assertThat(LoadParameters.known().get("recordsPath").formats()).containsExactly(LoadFormat.JSON);
        assertThat(LoadParameters.known().get("dateStyle").formats()).isEmpty();
        assertThat(LoadParameters.known().get("mode").repeatable()).isFalse();
    }

    @Test
    void anOptionOfAnotherFormatNamesItself() {
        assertThatExceptionOfType(InvalidLoadRequestException.class)
            .isThrownBy(() -> LoadParameters.requireApplicable(List.of("mode", "columns"), LoadFormat.NDJSON))
            .satisfies((ex) -> assertThat(ex.parameter()).isEqualTo("columns"));
        LoadParameters.requireApplicable(List.of("mode", "columns", "dateStyle", "unknown"), LoadFormat.CSV);
        LoadParameters.requireApplicable(Set.of("recordsPath", "dateStyle"), LoadFormat.JSON);
    }

    @Test
    void theClosestNameIsTheOneEqualButForCaseThenTheNearest() {
        List<String> names = List.copyOf(LoadParameters.known().keySet());
        assertThat(ClosestName.among("onerror", names)).isEqualTo("onError");
        assertThat(ClosestName.among("ONERROR", names)).isEqualTo("onError");
        assertThat(ClosestName.among("dateSytle", names)).isEqualTo("dateStyle");
        assertThat(ClosestName.among("records_path", names)).isEqualTo("recordsPath");
        assertThat(ClosestName.among("bachSize", names)).isEqualTo("batchSize");
        assertThat(ClosestName.among("julian", names)).isNull();
        assertThat(ClosestName.among("x", names)).isNull();
        assertThat(ClosestName.distance("abc", "acb")).isEqualTo(1);
        assertThat(ClosestName.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(ClosestName.distance("a", "abcd")).isEqualTo(Integer.MAX_VALUE);
        assertThat(ClosestName.distance("mode", "modes")).isEqualTo(1);
    }

    private static void assertThatNoExceptionForKnown(Map<String, List<String>> given) {
        LoadParameters.requireKnown(given, "parameter", List.of());
    }
}
