package serf.agent.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

/** Hand-made RPC requests on a raw socket, and what an agent answers to them (bounded reads). */
final class RawRpc {
    private RawRpc() {
    }

    static byte[] str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xa0 | b.length);
        out.writeBytes(b);
        return out.toByteArray();
    }

    static byte[] header(String command, int seq) {
        return cat(new byte[] {(byte) 0x82}, str("Command"), str(command), str("Seq"), new byte[] {(byte) seq});
    }

    static final byte[] HANDSHAKE = cat(header("handshake", 1), new byte[] {(byte) 0x81}, str("Version"), new byte[] {1});

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** What the agent wrote back, and whether it closed the connection. */
    record Exchange(String replyHex, boolean closed) {
    }

    /** Sends {@code request}, then reads until the agent closes or is quiet for a moment (bounded). */
    static Exchange exchange(AgentProcess a, byte[] request) throws IOException {
        try (Socket s = connect(a)) {
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return readReply(s, Duration.ofMillis(700), Duration.ofSeconds(10));
        }
    }

    static Socket connect(AgentProcess a) throws IOException {
        return connect(a, 0);
    }

    /** Connects; a non-zero {@code receiveBuffer} is set before connecting, so the TCP window stays small. */
    static Socket connect(AgentProcess a, int receiveBuffer) throws IOException {
        String[] hp = a.rpcAddress().split(":");
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 5000);
        return s;
    }

    static Exchange readReply(Socket s, Duration quiet, Duration max) throws IOException {
        s.setSoTimeout((int) quiet.toMillis());
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + max.toNanos();
        byte[] buf = new byte[8192];
        while (System.nanoTime() < deadline) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                return new Exchange(HexFormat.of().formatHex(got.toByteArray()), false);
            } catch (IOException e) {
                return new Exchange(HexFormat.of().formatHex(got.toByteArray()), true); // reset
            }
            if (n < 0) {
                return new Exchange(HexFormat.of().formatHex(got.toByteArray()), true);
            }
            got.write(buf, 0, n);
        }
        return new Exchange(HexFormat.of().formatHex(got.toByteArray()), false);
    }

}
