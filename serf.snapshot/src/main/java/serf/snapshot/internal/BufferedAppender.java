package serf.snapshot.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A 4 KiB write buffer over a file channel, like Go's {@code bufio.Writer}: bytes reach the OS
 * only on {@link #flush()} or when the buffer fills. As in Go, the first write error sticks:
 * every later call fails with it until the appender is replaced (by a compaction).
 */
public final class BufferedAppender implements Closeable {

    /** Go's {@code bufio} default size. */
    public static final int BUFFER_SIZE = 4096;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    private IOException failure;

    public BufferedAppender(FileChannel channel) {
        this.channel = channel;
    }

    /** Buffers {@code bytes}, writing full buffers through to the channel. */
    public void write(byte[] bytes) throws IOException {
        checkHealthy();
        int offset = 0;
        while (offset < bytes.length) {
            int chunk = Math.min(buffer.remaining(), bytes.length - offset);
            buffer.put(bytes, offset, chunk);
            offset += chunk;
            if (!buffer.hasRemaining()) {
                flush();
            }
        }
    }

    /** True if some bytes have not reached the OS yet. */
    public boolean hasBuffered() {
        return buffer.position() > 0;
    }

    /** Writes the buffered bytes to the OS (not necessarily to disk). */
    public void flush() throws IOException {
        checkHealthy();
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            failure = e;
            throw e;
        } finally {
            buffer.compact();
        }
    }

    /** Forces written bytes to the storage device (fsync). */
    public void sync() throws IOException {
        channel.force(true);
    }

    private void checkHealthy() throws IOException {
        if (failure != null) {
            throw new IOException("earlier snapshot write failed: " + failure.getMessage(), failure);
        }
    }

    /** Closes the channel without flushing. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
