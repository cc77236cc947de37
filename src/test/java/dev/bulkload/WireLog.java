package dev.bulkload;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy in front of the test database that reads what the service sends (PostgreSQL's frontend protocol)
 * and logs each statement it runs and each round trip it waits for: a simple Query, a Sync closing a batch of
 * extended-protocol messages, or the end of a COPY (CopyDone, CopyFail). The pool's connection checks (an empty
 * query) are left out of both. Works against any server, with no server setting; needs {@code sslmode=disable}.
 */
public final class WireLog implements AutoCloseable {

    private static final int SSL_REQUEST = 80877103;

    private static final int GSS_REQUEST = 80877104;

    private final String host;

    private final int targetPort;

    private final ServerSocket server;

    private final List<String> statements = new ArrayList<>();

    private int roundTrips;

    public WireLog(String host, int targetPort) throws IOException {
        this.host = host;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        this.server.bind(new InetSocketAddress("localhost", 0));
        Thread acceptor = new Thread(this::accept, "wire-log");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy in front of the {@link TestDatabase}, and the JDBC URL that goes through it. */
    public static WireLog ofTestDatabase() throws IOException {
        Matcher address = Pattern.compile("//([^/:]+):(\\d+)/").matcher(TestDatabase.settings().url());
        if (!address.find()) {
            throw new IllegalStateException("Cannot read host and port from " + TestDatabase.settings().url());
        }
        return new WireLog(address.group(1), Integer.parseInt(address.group(2)));
    }

    /** The JDBC URL of the test database, through this proxy, without TLS (so the messages can be read). */
    public String url() {
        String url = TestDatabase.settings().url().replaceFirst("//[^/:]+:\\d+/", "//localhost:" + this.server.getLocalPort() + "/");
        return url + (url.contains("?") ? "&" : "?") + "sslmode=disable&gssEncMode=disable";
    }

    /** Forgets what was logged so far. */
    public synchronized void clear() {
        this.statements.clear();
        this.roundTrips = 0;
    }

    /** The statements run since {@link #clear()}, in order, as sent (whitespace collapsed). */
    public synchronized List<String> statements() {
        return List.copyOf(this.statements);
    }

    /** The round trips waited for since {@link #clear()}. */
    public synchronized int roundTrips() {
        return this.roundTrips;
    }

    @Override
    public void close() throws IOException {
        this.server.close();
    }

    private synchronized void statement(String sql) {
        this.statements.add(sql.strip().replaceAll("\\s+", " "));
    }

    private synchronized void roundTrip() {
        this.roundTrips++;
    }

    private void accept() {
        while (!this.server.isClosed()) {
            try {
                Socket client = this.server.accept();
                Socket database = new Socket(this.host, this.targetPort);
                client.setTcpNoDelay(true);
                database.setTcpNoDelay(true);
                daemon(() -> read(client, database));
                daemon(() -> copy(database, client));
            }
            catch (IOException ex) {
                // closed
            }
        }
    }

    private static void daemon(Runnable work) {
        Thread thread = new Thread(work, "wire-log-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
        catch (IOException ex) {
            // one side closed
        }
        finally {
            closeQuietly(to);
        }
    }

    /** Forwards the client's messages one by one, logging what they run. */
    private void read(Socket client, Socket database) {
        Map<String, String> prepared = new HashMap<>();
        String bound = "";
        boolean batchHasWork = false;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream(), 64 * 1024));
                OutputStream out = new BufferedOutputStream(database.getOutputStream(), 64 * 1024)) {
            boolean startup = true;
            while (true) {
                boolean typed = !startup;
                byte type = typed ? in.readByte() : 0;
                int length = in.readInt();
                byte[] body = new byte[length - 4];
                in.readFully(body);
                if (startup) {
                    int code = (body.length >= 4) ? ((body[0] & 0xff) << 24 | (body[1] & 0xff) << 16
                            | (body[2] & 0xff) << 8 | (body[3] & 0xff)) : 0;
                    startup = code == SSL_REQUEST || code == GSS_REQUEST;
                }
                else {
                    switch (type) {
                        case 'Q' -> {
                            String sql = cString(body, 0);
                            if (!sql.isBlank()) {
                                statement(sql);
                                roundTrip();
                            }
                        }
                        case 'P' -> {
                            String name = cString(body, 0);
                            prepared.put(name, cString(body, name.getBytes(StandardCharsets.UTF_8).length + 1));
                        }
                        case 'B' -> {
                            String portal = cString(body, 0);
                            bound = cString(body, portal.getBytes(StandardCharsets.UTF_8).length + 1);
                        }
                        case 'E' -> {
                            String sql = prepared.getOrDefault(bound, "");
                            if (!sql.isBlank()) {
                                statement(sql);
                                batchHasWork = true;
                            }
                        }
                        case 'S' -> {
                            if (batchHasWork) {
                                roundTrip();
                            }
                            batchHasWork = false;
                        }
                        case 'c', 'f' -> roundTrip();
                        default -> {
                            // CopyData, Describe, Close, Flush, authentication: no statement of their own
                        }
                    }
                }
                if (typed) {
                    out.write(type);
                }
                out.write(new byte[] { (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                        (byte) length });
                out.write(body);
                if (in.available() == 0) {
                    out.flush();
                }
            }
        }
        catch (EOFException ex) {
            // the client closed
        }
        catch (IOException ex) {
            // one side closed
        }
        finally {
            closeQuietly(database);
        }
    }

    private static String cString(byte[] body, int from) {
        int end = from;
        while (end < body.length && body[end] != 0) {
            end++;
        }
        return new String(body, from, end - from, StandardCharsets.UTF_8);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // already closed
        }
    }
}
