package dev.bulkload.body;

/**
 * The request body ended before its Content-Length or its final chunk: the client went away (or its connection
 * broke) mid-upload. The load fails rather than load a shorter payload; a record cut off by it is never written.
 */
public class ClientDisconnectedException extends RuntimeException {

    ClientDisconnectedException(Throwable cause) {
        super("The request body ended before it was complete (the client disconnected mid-upload)", cause);
    }
}
