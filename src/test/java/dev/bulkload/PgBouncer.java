package dev.bulkload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's PgBouncer in front of the {@link TestDatabase}, one per pooling mode, started on first use like the
 * embedded PostgreSQL (an ephemeral port, a temporary configuration with the test user in its userlist) and stopped
 * when the JVM exits. PgBouncer refuses to run as root: as root it runs as the {@code postgres} user (or
 * {@code nobody} where there is none). Where the
 * binary is missing the tests that need it are skipped, saying why, unless {@code BULKLOAD_REQUIRE_PGBOUNCER=true}
 * (CI), where they fail instead.
 */
public final class PgBouncer {

    /** Where Debian's package installs it; {@code BULKLOAD_PGBOUNCER} names another. */
    private static final String BINARY = System.getenv().getOrDefault("BULKLOAD_PGBOUNCER", "/usr/sbin/pgbouncer");

    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)(\\?.*)?");

    private static final Map<Mode, PgBouncer> running = new EnumMap<>(Mode.class);

    private final Mode mode;

    private final int port;

    private final String database;

    private final Process process;

    private PgBouncer(Mode mode, int port, String database, Process process) {
        this.mode = mode;
        this.port = port;
        this.database = database;
        this.process = process;
    }

    /** PgBouncer's pool_mode. */
    public enum Mode {

        /** A server connection per client connection, for as long as the client stays. */
        SESSION,

        /** A server connection per transaction: consecutive transactions of one client may reach other backends. */
        TRANSACTION;

        /** The value of the service's {@code bulkload.database.pooling}. */
        public String property() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Skips the calling test (a JUnit assumption with the reason) where PgBouncer is not installed, except where it
     * is required ({@code BULKLOAD_REQUIRE_PGBOUNCER=true}): there the test goes on and fails at the start.
     */
    public static void assumeAvailable() {
        boolean required = "true".equalsIgnoreCase(System.getenv("BULKLOAD_REQUIRE_PGBOUNCER"));
        if (!required) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(BINARY)), "PgBouncer is not installed at " + BINARY
                    + " (apt-get install pgbouncer; CI installs it and sets BULKLOAD_REQUIRE_PGBOUNCER=true)");
        }
    }

    /** The PgBouncer of this pooling mode, started on first use. */
    public static synchronized PgBouncer of(Mode mode) {
        PgBouncer bouncer = running.get(mode);
        if (bouncer == null || !bouncer.process.isAlive()) {
            bouncer = start(mode);
            running.put(mode, bouncer);
        }
        return bouncer;
    }

    public Mode mode() {
        return this.mode;
    }

    public int port() {
        return this.port;
    }

    /** The JDBC URL of the test database through this PgBouncer. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + this.database;
    }

    private static PgBouncer start(Mode mode) {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException("PgBouncer is required here but not installed at " + BINARY);
        }
        TestDatabase.Settings settings = TestDatabase.settings();
        Matcher url = URL.matcher(settings.url());
        if (!url.matches()) {
            throw new IllegalStateException("Cannot put PgBouncer in front of " + settings.url());
        }
        String host = url.group(1).equals("localhost") ? "127.0.0.1" : url.group(1);
        String serverPort = (url.group(2) != null) ? url.group(2) : "5432";
        String database = url.group(3);
        try {
            Path dir = Files.createTempDirectory("bulkload-pgbouncer-" + mode.property() + "-");
            dir.toFile().deleteOnExit();
            int port = freePort();
            String user = settings.username();
            String password = (settings.password() != null) ? settings.password() : "";
            Files.writeString(dir.resolve("userlist.txt"),
                    quoted(user) + " " + quoted(password) + "\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("pgbouncer.ini"), """
                    [databases]
                    %s = host=%s port=%s dbname=%s

                    [pgbouncer]
                    listen_addr = 127.0.0.1
                    listen_port = %d
                    unix_socket_dir =
                    auth_type = scram-sha-256
                    auth_file = %s
                    pool_mode = %s
                    ; every cached test context and replica keeps its own Hikari pool: in session mode each of their
                    ; connections holds a server connection
                    max_client_conn = 1000
                    default_pool_size = 30
                    max_db_connections = 30
                    ; pgJDBC sends it in its startup packet
                    ignore_startup_parameters = extra_float_digits
                    server_idle_timeout = 15
                    logfile = %s
                    pidfile = %s
                    """.formatted(database, host, serverPort, database, port, dir.resolve("userlist.txt"),
                    mode.property(), dir.resolve("pgbouncer.log"), dir.resolve("pgbouncer.pid")),
                    StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>();
            if (isRoot()) {
                // PgBouncer refuses to run as root
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
                for (String file : List.of("userlist.txt", "pgbouncer.ini")) {
                    Files.setPosixFilePermissions(dir.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
                }
                String runAs = userExists("postgres") ? "postgres" : "nobody";
                command.addAll(List.of("setpriv", "--reuid=" + runAs, "--regid=" + runAs, "--clear-groups"));
            }
            command.add(BINARY);
            command.add(dir.resolve("pgbouncer.ini").toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
            PgBouncer bouncer = new PgBouncer(mode, port, database, process);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                process.destroy();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }));
            awaitListening(process, port, dir);
            System.out.println("PgBouncer (" + mode.property() + " pooling) listens on 127.0.0.1:" + port + " for "
                    + database + " at " + host + ":" + serverPort);
            return bouncer;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start PgBouncer", ex);
        }
    }

    private static void awaitListening(Process process, int port, Path dir) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PgBouncer exited with " + process.exitValue() + ": "
                        + read(dir.resolve("stdout.log")) + read(dir.resolve("pgbouncer.log")));
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            }
            catch (IOException ex) {
                try {
                    process.waitFor(50, TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("PgBouncer did not listen on port " + port + " within 20 s: "
                + read(dir.resolve("pgbouncer.log")));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        }
        catch (IOException ex) {
            return "";
        }
    }

    private static boolean userExists(String name) throws IOException {
        return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch((line) -> line.startsWith(name + ":"));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }
}
