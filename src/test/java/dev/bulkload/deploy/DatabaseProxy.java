package dev.bulkload.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP proxy in front of the test database that can be cut and restored, to play a database outage. */
final class DatabaseProxy {

    private final String host;

    private final int targetPort;

    private final int port;

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private volatile ServerSocket server;

    /** Guards {@link #stalled}; forwarding threads wait on it until {@link #resume()}. */
    private final Object gate = new Object();

    private boolean stalled;

    DatabaseProxy(String host, int targetPort) throws IOException {
        this.host = host;
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            this.port = probe.getLocalPort();
        }
        restore();
    }

    int port() {
        return this.port;
    }

    /** Stops accepting and drops every open connection. */
    synchronized void cut() throws IOException {
        this.server.close();
        for (Socket socket : this.sockets) {
            socket.close();
        }
        this.sockets.clear();
    }

    /**
     * A silent outage: connections stay open and new ones are accepted, but no byte is forwarded either
     * way until {@link #resume()}.
     */
    void stall() {
        synchronized (this.gate) {
            this.stalled = true;
        }
    }

    /** Forwards again what {@link #stall()} held. */
    void resume() {
        synchronized (this.gate) {
            this.stalled = false;
            this.gate.notifyAll();
        }
    }

    /** Accepts connections again on the same port. */
    synchronized void restore() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress("localhost", this.port));
        this.server = socket;
        Thread acceptor = new Thread(() -> accept(socket), "database-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket database = new Socket(this.host, this.targetPort);
                this.sockets.add(client);
                this.sockets.add(database);
                pipe(client, database);
                pipe(database, client);
            }
            catch (IOException ex) {
                // closed by cut()
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (this.gate) {
                        while (this.stalled) {
                            this.gate.wait();
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
            catch (IOException ex) {
                // one side closed: the other follows
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            finally {
                try {
                    to.close();
                }
                catch (IOException ignored) {
                    // already closed
                }
            }
        }, "database-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }
}
