package dev.bulkload.body;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * The request body straight from the connection: a read that fails there (the body ended before its
 * Content-Length or final chunk, the connection reset) is the client's disconnection, told apart from everything
 * above it (gzip, parsing) that may also throw IOExceptions. A read timeout stays an IOException for
 * {@link UploadPace} to answer as a body too slow.
 */
final class ClientConnectionStream extends FilterInputStream {

    ClientConnectionStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        }
        catch (IOException ex) {
            throw disconnected(ex);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        }
        catch (IOException ex) {
            throw disconnected(ex);
        }
    }

    private static IOException disconnected(IOException ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return ex;
            }
        }
        throw new ClientDisconnectedException(ex);
    }
}
