package dev.bulkload.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Dockerfile's rules, read from the file itself (no Docker engine here to build it). */
class DockerfileTests {

    private static List<String> instructions;

    @BeforeAll
    static void readDockerfile() throws IOException {
        instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            instructions.add(current.append(trimmed).toString());
            current.setLength(0);
        }
    }

    @Test
    void isMultiStageWithAPinnedJre25Runtime() {
        List<String> from = starting("FROM ");
        assertThat(from).hasSizeGreaterThanOrEqualTo(2);
        assertThat(from.get(0)).contains(" AS build");
        assertThat(from).filteredOn((f) -> f.endsWith(" AS runtime"))
            .singleElement()
            .asString()
            .matches("FROM eclipse-temurin:25\\.\\d+\\.\\d+_\\d+-jre-\\w+ AS runtime")
            .doesNotContain("latest");
        // the image is the runtime stage: the same JVM and files the AOT cache was trained on
        assertThat(from.get(from.size() - 1)).isEqualTo("FROM runtime");
    }

    @Test
    void buildsWithTheWrapperAndShipsTheExtractedLayersDependenciesFirst() {
        assertThat(instructions).anyMatch((i) -> i.startsWith("RUN ./mvnw") && i.contains("package")
                && i.contains("extract --layers"));
        List<String> copies = starting("COPY --from=build");
        assertThat(copies).containsExactly("COPY --from=build /layers/dependencies/ ./",
                "COPY --from=build /layers/spring-boot-loader/ ./",
                "COPY --from=build /layers/snapshot-dependencies/ ./", "COPY --from=build /layers/application/ ./");
    }

    @Test
    void trainsTheAotCacheWithRealLoadsInAStageOfItsOwnAndShipsOnlyTheCache() throws IOException {
        int training = instructions.indexOf("FROM runtime AS training");
        assertThat(training).isPositive();
        // PostgreSQL and the training run in the training stage only; the image gets the cache and nothing else
        assertThat(instructions.subList(training, instructions.size()))
            .anyMatch((i) -> i.startsWith("RUN ") && i.contains("apt-get install") && i.contains("postgresql")
                    && i.contains("train-aot-cache.sh /app/application.aot"));
        List<String> image = instructions.subList(instructions.lastIndexOf("FROM runtime"), instructions.size());
        assertThat(image).filteredOn((i) -> i.startsWith("COPY ") || i.startsWith("RUN "))
            .containsExactly("COPY --from=training /app/application.aot /app/application.aot");
        assertThat(entrypoint()).contains("\"-XX:AOTCache=/app/application.aot\"");
        // the script trains with security on and loads through the service's own port, and fails the build when
        // the training run fails or leaves no cache
        String script = Files.readString(Path.of("src/main/docker/train-aot-cache.sh"));
        assertThat(script).contains("set -eu", "-XX:AOTCacheOutput=\"$cache\"", "--bulkload.training.enabled=true",
                "--bulkload.security.api-keys[0].sha256=$sha", "test -s \"$cache\"");
    }

    @Test
    void runsAsNonRootExecFormWithMemoryFromJavaToolOptions() {
        assertThat(starting("USER ")).containsExactly("USER 10001:10001");
        assertThat(entrypoint()).startsWith("ENTRYPOINT [\"java\"").endsWith("\"-jar\", \"application.jar\"]");
        assertThat(starting("ENV ")).anyMatch((i) -> i.contains("JAVA_TOOL_OPTIONS=\"-XX:MaxRAMPercentage="));
        assertThat(starting("ENV ")).anyMatch((i) -> i.contains("-XX:+ExitOnOutOfMemoryError"));
        // the API and the management port (actuator), which the image sets like the Helm chart does
        assertThat(starting("EXPOSE ")).containsExactly("EXPOSE 8080 8081");
        assertThat(starting("ENV ")).anyMatch((i) -> i.contains("MANAGEMENT_SERVER_PORT=8081"));
        int user = instructions.indexOf("USER 10001:10001");
        assertThat(instructions.indexOf(entrypoint())).isGreaterThan(user);
    }

    @Test
    void holdsNoSecrets() {
        assertThat(instructions).filteredOn((i) -> i.startsWith("ENV ") || i.startsWith("ARG "))
            .noneMatch((i) -> i.toUpperCase().matches(".*(PASSWORD|SECRET|TOKEN|_KEY)=.*"));
    }

    @Test
    void dockerignoreKeepsBuildOutputAndLocalDataOut() throws IOException {
        assertThat(Files.readAllLines(Path.of(".dockerignore"))).contains(".git", ".data", "target");
    }

    private static List<String> starting(String prefix) {
        return instructions.stream().filter((i) -> i.startsWith(prefix)).toList();
    }

    private static String entrypoint() {
        List<String> entrypoints = starting("ENTRYPOINT ");
        assertThat(entrypoints).hasSize(1);
        return entrypoints.get(0);
    }
}
