package dev.bulkload.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The packaged jar started wrongly, as a person would: the failure is explained in one line, with no stack trace.
 * Runs after {@code package} (failsafe).
 */
class StartupMessagesIT {

    private static final Path JAR = Path.of("target", "bulk-loader.jar");

    @Test
    void withoutDatabaseSettingsItNamesTheVariablesToSet() throws Exception {
        String output = start(List.of());

        assertThat(output).contains("No database configured: set SPRING_DATASOURCE_URL "
                + "(jdbc:postgresql://host:5432/database), SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD, "
                + "or try the service with ./mvnw spring-boot:test-run (an embedded PostgreSQL).");
        assertThat(output).doesNotContain("H2, HSQL or Derby");
        assertThat(stackFrames(output)).isZero();
    }

    @Test
    void withTheDatabaseDownItNamesHostPortAndCause() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String output = start(List.of("--spring.datasource.url=jdbc:postgresql://localhost:" + closedPort + "/app",
                "--spring.datasource.username=loader", "--spring.datasource.password=secret"));

        assertThat(output).contains("Cannot connect to the database at localhost:" + closedPort
                + "/app: connection refused.");
        assertThat(stackFrames(output)).isZero();
    }

    private static String start(List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--server.port=0", "--bulkload.security.enabled=false"));
        command.addAll(arguments);
        File log = Files.createTempFile("startup-", ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        builder.environment().keySet().removeIf((name) -> name.startsWith("SPRING_"));
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the process ends by itself").isTrue();
        assertThat(process.exitValue()).isNotZero();
        return Files.readString(log.toPath());
    }

    private static long stackFrames(String output) {
        return output.lines().filter((line) -> line.startsWith("\tat ") || line.matches("\\s+at [a-z].*")).count();
    }
}
