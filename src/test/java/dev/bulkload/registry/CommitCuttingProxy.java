package dev.bulkload.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of the test database that, when armed, cuts the connection that sends a COMMIT: before the
 * COMMIT reaches the server (it never commits), or once the server answered it (it committed; the client never
 * learns). It can also drop every connection and refuse new ones, to play a database that stays unreachable.
 * It finds the COMMIT by the bytes of pgJDBC's Parse message for it ({@code COMMIT\0}), which no data row sent
 * through COPY or a bound parameter contains; the client must not prepare statements on the server
 * ({@code prepareThreshold=0}), or it would send a COMMIT it prepared by name only.
 */
final class CommitCuttingProxy implements AutoCloseable {

    private static final byte[] COMMIT = "COMMIT\0".getBytes(StandardCharsets.US_ASCII);

    /** Where to cut. */
    enum Cut {
        /** The COMMIT never reaches the server. */
        BEFORE_COMMIT,
        /** The server commits; its answer never reaches the client. */
        AFTER_COMMIT
    }

    private final String host;

    private final int targetPort;

    private final ServerSocket server;

    private final List<Pair> pairs = new CopyOnWriteArrayList<>();

    private Cut armed;

    private int commitsLetThrough;

    private boolean thenUnreachable;

    private volatile boolean refusing;

    CommitCuttingProxy(String host, int targetPort) throws IOException {
        this.host = host;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        this.server.bind(new InetSocketAddress("localhost", 0));
        Thread acceptor = new Thread(this::accept, "commit-cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return this.server.getLocalPort();
    }

    /**
     * Cuts the connection of the COMMIT after the next {@code letThrough} ones.
     * @param unreachable then also drop every other connection and refuse new ones until {@link #reachable()}
     */
    synchronized void arm(Cut cut, int letThrough, boolean unreachable) {
        this.armed = cut;
        this.commitsLetThrough = letThrough;
        this.thenUnreachable = unreachable;
    }

    /** Whether an armed cut has happened. */
    synchronized boolean fired() {
        return this.armed == null;
    }

    /** Accepts connections again. */
    void reachable() {
        this.refusing = false;
    }

    @Override
    public void close() throws IOException {
        this.server.close();
        this.pairs.forEach(Pair::close);
    }

    /** Decides for a COMMIT seen on a connection: null to forward it, else the cut to make. */
    private synchronized Cut onCommit() {
        if (this.armed == null) {
            return null;
        }
        if (this.commitsLetThrough > 0) {
            this.commitsLetThrough--;
            return null;
        }
        Cut cut = this.armed;
        this.armed = null;
        return cut;
    }

    private synchronized boolean unreachableAfterCut() {
        boolean unreachable = this.thenUnreachable;
        this.thenUnreachable = false;
        return unreachable;
    }

    private void goUnreachable() {
        this.refusing = true;
        this.pairs.forEach(Pair::close);
    }

    private void accept() {
        while (!this.server.isClosed()) {
            try {
                Socket client = this.server.accept();
                if (this.refusing) {
                    client.close();
                    continue;
                }
                Pair pair = new Pair(client, new Socket(this.host, this.targetPort));
                this.pairs.add(pair);
                start(() -> toServer(pair));
                start(() -> toClient(pair));
            }
            catch (IOException ex) {
                // closed
            }
        }
    }

    private void toServer(Pair pair) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = pair.client.getInputStream(); OutputStream out = pair.database.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                Cut cut = contains(buffer, n, COMMIT) ? onCommit() : null;
                if (cut == Cut.BEFORE_COMMIT) {
                    // refuse first: the client reconnects the moment it sees its connection close
                    if (unreachableAfterCut()) {
                        goUnreachable();
                    }
                    pair.close();
                    return;
                }
                if (cut == Cut.AFTER_COMMIT) {
                    pair.dropAnswer = true;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        }
        catch (IOException ex) {
            // one side closed
        }
        finally {
            pair.close();
        }
    }

    private void toClient(Pair pair) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = pair.database.getInputStream(); OutputStream out = pair.client.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (pair.dropAnswer) {
                    // the server answered the COMMIT: it committed; the client never hears it (and finds the
                    // database gone when it reconnects at once to ask: refuse before closing)
                    if (unreachableAfterCut()) {
                        goUnreachable();
                    }
                    pair.close();
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        }
        catch (IOException ex) {
            // one side closed
        }
        finally {
            pair.close();
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] pattern) {
        outer: for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buffer[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void start(Runnable task) {
        Thread thread = new Thread(task, "commit-cutting-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    /** A client's connection and the proxy's to the database for it. */
    private static final class Pair {

        private final Socket client;

        private final Socket database;

        private volatile boolean dropAnswer;

        Pair(Socket client, Socket database) {
            this.client = client;
            this.database = database;
        }

        void close() {
            try {
                this.client.close();
                this.database.close();
            }
            catch (IOException ex) {
                // already closed
            }
        }
    }
}
