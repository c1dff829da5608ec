package serf.agent.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Hand-made RPC bytes on a raw socket, and bounded ways to see what the agent does with them. */
final class RawRequests {
    private RawRequests() {
    }

    static byte[] str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return cat(new byte[] {(byte) (0xa0 | b.length)}, b);
    }

    static byte[] header(String command, int seq) {
        return cat(new byte[] {(byte) 0x82}, str("Command"), str(command), str("Seq"), new byte[] {(byte) seq});
    }

    static final byte[] HANDSHAKE = cat(header("handshake", 1), new byte[] {(byte) 0x81}, str("Version"), new byte[] {1});

    /** A msgpack bin 32 header declaring {@code n} bytes. */
    static byte[] binHeader(int n) {
        return new byte[] {(byte) 0xc6, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Writes, ignoring the failure a server that already closed the connection causes. */
    static void writeQuietly(Socket s, byte[] bytes) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // the agent hung up on us: what these tests expect
        }
    }

    /** Reads (and discards) until the agent closes the connection; false if it is still open after {@code max}. */
    static boolean closedByAgent(Socket s, Duration max) throws IOException {
        s.setSoTimeout(100);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // still open; keep waiting
            } catch (IOException e) {
                return true; // reset
            }
        }
        return false;
    }

    /** Reads one response header's worth of bytes (at least one byte), bounded. */
    static byte[] someReply(Socket s, Duration max) throws IOException {
        s.setSoTimeout((int) max.toMillis());
        byte[] buf = new byte[256];
        int n = s.getInputStream().read(buf);
        return n <= 0 ? new byte[0] : java.util.Arrays.copyOf(buf, n);
    }
}
