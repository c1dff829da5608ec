package serf.sim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import serf.memberlist.transport.StreamConnection;

/**
 * A simulated stream, reliable and instantaneous, with no thread: the client writes its request,
 * and when it first reads (or closes), the server node's stream handler runs right there, on the
 * simulation's thread, reading that request and writing its reply, which the client then reads.
 * memberlist uses a stream for one request and at most one reply, which this serves exactly.
 */
final class InlineStream {
    private final SimNode client;
    private final SimNode server;
    private final ByteArrayOutputStream request = new ByteArrayOutputStream();
    private final ByteArrayOutputStream reply = new ByteArrayOutputStream();
    private boolean served;
    private boolean closed;
    private ByteArrayInputStream replyIn;

    InlineStream(SimNode client, SimNode server) {
        this.client = client;
        this.server = server;
    }

    StreamConnection clientSide() {
        return new Side(server.address(), new InputStream() {
            @Override
            public int read() throws IOException {
                return replyStream().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return replyStream().read(b, off, len);
            }
        }, new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                checkWritable();
                request.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                checkWritable();
                request.write(b, off, len);
            }
        }, true);
    }

    private void checkWritable() throws IOException {
        if (closed || served) {
            throw new IOException("stream closed");
        }
    }

    private ByteArrayInputStream replyStream() {
        serve();
        if (replyIn == null) {
            replyIn = new ByteArrayInputStream(reply.toByteArray());
        }
        return replyIn;
    }

    /** Runs the server's handler once, on the request written so far. */
    private void serve() {
        if (served) {
            return;
        }
        served = true;
        ByteArrayInputStream in = new ByteArrayInputStream(request.toByteArray());
        server.transport.serve(new Side(client.address(), in, reply, false));
    }

    private final class Side implements StreamConnection {
        private final InetSocketAddress remote;
        private final InputStream in;
        private final OutputStream out;
        private final boolean isClient;

        Side(InetSocketAddress remote, InputStream in, OutputStream out, boolean isClient) {
            this.remote = remote;
            this.in = in;
            this.out = out;
            this.isClient = isClient;
        }

        @Override
        public InputStream input() {
            return in;
        }

        @Override
        public OutputStream output() {
            return out;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public void setDeadline(long deadlineNanos) {
            // instantaneous: nothing ever waits
        }

        @Override
        public void close() {
            if (isClient && !closed) {
                serve(); // a one-way message (a reliable user message) is delivered when its writer is done
                closed = true;
            }
        }
    }
}
