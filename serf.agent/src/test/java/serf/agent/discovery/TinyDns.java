package serf.agent.discovery;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import serf.agent.discovery.DnsMessage.Question;
import serf.agent.discovery.DnsMessage.Rdata;
import serf.agent.discovery.DnsMessage.Record;

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP, an ephemeral port) for tests: it answers SRV,
 * A and AAAA questions from records the test adds, echoes the question, and answers NXDOMAIN for
 * names it does not know (NOERROR with no answer for a known name and another type).
 */
public final class TinyDns implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private final Thread thread;

    public TinyDns() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = Thread.ofVirtual().name("tiny-dns").start(this::serve);
    }

    /** {@code host:port} of the server, as {@code SERF_DNS_SERVER} takes it. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public int queries() {
        return queries.get();
    }

    public TinyDns srv(String name, int priority, int weight, int port, String target) {
        return add(name, new Rdata.Srv(priority, weight, port, target));
    }

    public TinyDns a(String name, String ip) throws IOException {
        return add(name, new Rdata.A((java.net.Inet4Address) InetAddress.getByName(ip)));
    }

    private TinyDns add(String name, Rdata data) {
        String key = key(name);
        records.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(new Record(key, DnsMessage.CLASS_IN, 5, data));
        return this;
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    private void serve() {
        byte[] buf = new byte[1500];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                DnsMessage q = DnsCodec.decode(buf, p.getLength());
                queries.incrementAndGet();
                byte[] out = DnsCodec.encode(answer(q));
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException | DnsCodec.FormatException e) {
                // closed, or not DNS: ignore
            }
        }
    }

    private DnsMessage answer(DnsMessage q) {
        List<Record> answers = new ArrayList<>();
        boolean known = false;
        for (Question question : q.questions()) {
            List<Record> recs = records.get(key(question.name()));
            if (recs == null) {
                continue;
            }
            known = true;
            for (Record r : recs) {
                if (r.type() == question.type() || question.type() == DnsMessage.TYPE_ANY) {
                    answers.add(new Record(question.name(), r.rclass(), r.ttl(), r.data()));
                }
            }
        }
        int rd = q.flags() & 0x0100;
        int flags = DnsMessage.FLAG_RESPONSE | DnsMessage.FLAG_AUTHORITATIVE | rd | (known ? 0 : 3);
        return new DnsMessage(q.id(), flags, q.questions(), answers, List.of());
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
