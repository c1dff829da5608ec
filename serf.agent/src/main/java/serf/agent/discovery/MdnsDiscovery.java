package serf.agent.discovery;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import serf.agent.discovery.DnsMessage.Question;
import serf.agent.discovery.DnsMessage.Record;

/**
 * {@code serf agent -discover=<cluster>}: announces this agent over multicast DNS and joins the
 * agents it finds, interoperating with the Go agent's discovery.
 *
 * <ul>
 *   <li><b>Responder.</b> Listens on 224.0.0.251:5353 (IPv4; the Go agent also listens on IPv6) and
 *       answers questions about {@link MdnsService}'s names, sending the answer to the asker's
 *       address and port as the Go agent does.</li>
 *   <li><b>Poller.</b> At start and then every {@link Settings#pollInterval()} (Go: 60 s) asks for
 *       {@code _serf_<cluster>._tcp.local.} PTR from a fresh ephemeral port and collects answers for
 *       {@link Settings#queryWindow()} (Go: 1 s). Answers seen by the responder's socket (from
 *       responders that multicast them) count too.</li>
 *   <li><b>Joiner.</b> Addresses found are gathered until none came for {@link Settings#quietInterval()}
 *       (Go: 100 ms), then joined in one go; an address tried once is not tried again (Go's rule),
 *       whether the join worked or not. Our own address is never joined (Go joins itself).</li>
 * </ul>
 *
 * <p>Bounded: packets of at most {@link DnsCodec#MAX_MESSAGE} bytes and {@link DnsCodec#MAX_RECORDS}
 * records; at most {@link Settings#maxPacketsPerSecond()} packets handled a second by the responder
 * (more are dropped, counted); at most {@link #MAX_PENDING} addresses waiting to be joined and
 * {@link #MAX_SEEN} remembered as tried (oldest forgotten first). A malformed packet is counted and
 * dropped; nothing a packet holds stops discovery.
 */
public final class MdnsDiscovery implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("serf.agent.discovery");
    public static final InetSocketAddress GROUP = new InetSocketAddress("224.0.0.251", 5353);
    static final int MAX_PENDING = 64;
    static final int MAX_SEEN = 1024;

    /** Joins a list of {@code host:port} addresses, returning how many nodes were contacted. */
    @FunctionalInterface
    public interface Joiner {
        int join(List<String> addrs, boolean replay) throws Exception;
    }

    /**
     * Timing and bounds.
     *
     * @param pollInterval        between two polls (Go: 60 s)
     * @param queryWindow         how long a poll collects answers (Go: 1 s)
     * @param quietInterval       how long without a new address before joining (Go: 100 ms)
     * @param maxPacketsPerSecond packets the responder handles a second; more are dropped
     */
    public record Settings(Duration pollInterval, Duration queryWindow, Duration quietInterval, int maxPacketsPerSecond) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofMillis(100), 200);
        }
    }

    private final MdnsService service;
    private final NetworkInterface iface;
    private final Joiner joiner;
    private final boolean replay;
    private final Settings settings;
    private final MulticastSocket listener;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final BlockingQueue<String> pending = new ArrayBlockingQueue<>(MAX_PENDING);
    private final ReentrantLock seenLock = new ReentrantLock();
    private final Map<String, Boolean> seen = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_SEEN;
        }
    };
    private final AtomicLong badPackets = new AtomicLong();
    private final AtomicLong droppedPackets = new AtomicLong();
    private final AtomicLong droppedAddresses = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong joinedHosts = new AtomicLong();
    private long windowStart;
    private int windowCount;
    private volatile boolean badLogged;

    private MdnsDiscovery(MdnsService service, NetworkInterface iface, Joiner joiner, boolean replay, Settings settings,
                          MulticastSocket listener) {
        this.service = service;
        this.iface = iface;
        this.joiner = joiner;
        this.replay = replay;
        this.settings = settings;
        this.listener = listener;
        this.windowStart = System.nanoTime();
    }

    /**
     * Starts announcing and polling. {@code iface} is the {@code -iface} interface, or null for the
     * system's default multicast route.
     *
     * @throws IOException when the multicast listener cannot be opened (the agent refuses to start)
     */
    public static MdnsDiscovery start(MdnsService service, NetworkInterface iface, Joiner joiner, boolean replay,
                                      Settings settings) throws IOException {
        try {
            service.validate();
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        MulticastSocket socket = new MulticastSocket(GROUP.getPort());
        try {
            if (iface != null) {
                socket.setNetworkInterface(iface);
            }
            socket.joinGroup(GROUP, iface);
        } catch (IOException e) {
            socket.close();
            throw new IOException("No multicast listeners could be started: " + e.getMessage(), e);
        }
        MdnsDiscovery d = new MdnsDiscovery(service, iface, joiner, replay, settings, socket);
        Thread.ofVirtual().name("mdns-responder").start(d::respondLoop);
        Thread.ofVirtual().name("mdns-poller").start(d::pollLoop);
        Thread.ofVirtual().name("mdns-joiner").start(d::joinLoop);
        return d;
    }

    /** Counters: packets answered and malformed or dropped, addresses dropped, polls and hosts joined. */
    public Map<String, String> stats() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mdns_answered", Long.toString(answered.get()));
        m.put("mdns_bad_packets", Long.toString(badPackets.get()));
        m.put("mdns_dropped_packets", Long.toString(droppedPackets.get()));
        m.put("mdns_dropped_addresses", Long.toString(droppedAddresses.get()));
        m.put("mdns_polls", Long.toString(polls.get()));
        m.put("mdns_joined_hosts", Long.toString(joinedHosts.get()));
        return m;
    }

    // ---- responder ----

    private void respondLoop() {
        byte[] buf = new byte[DnsCodec.MAX_MESSAGE + 1];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (closed.getCount() > 0) {
            try {
                p.setLength(buf.length);
                listener.receive(p);
            } catch (IOException e) {
                if (closed.getCount() > 0) {
                    LOG.log(System.Logger.Level.ERROR, "agent.mdns: multicast listener failed: " + e.getMessage());
                    sleepQuietly(Duration.ofMillis(100));
                }
                continue;
            }
            if (!admit()) {
                droppedPackets.incrementAndGet();
                continue;
            }
            DnsMessage m = decode(buf, p.getLength());
            if (m == null) {
                continue;
            }
            if (m.isResponse()) {
                collect(m);
            } else {
                answer(m, new InetSocketAddress(p.getAddress(), p.getPort()));
            }
        }
    }

    /** The responder's rate bound: a fixed one-second window. */
    private boolean admit() {
        long now = System.nanoTime();
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            windowCount = 0;
        }
        return ++windowCount <= settings.maxPacketsPerSecond();
    }

    private DnsMessage decode(byte[] buf, int len) {
        try {
            return DnsCodec.decode(buf, len);
        } catch (DnsCodec.FormatException e) {
            badPackets.incrementAndGet();
            if (!badLogged) {
                badLogged = true;
                LOG.log(System.Logger.Level.WARNING, "agent.mdns: dropping a malformed packet (counted from now on, "
                        + "logged once): " + e.getMessage());
            }
            return null;
        }
    }

    private void answer(DnsMessage query, InetSocketAddress from) {
        // RFC 6762 section 18: only standard queries with rcode 0; Go also ignores truncated ones.
        if (query.opcode() != 0 || query.rcode() != 0 || (query.flags() & DnsMessage.FLAG_TRUNCATED) != 0) {
            return;
        }
        List<Record> multicast = new ArrayList<>();
        List<Record> unicast = new ArrayList<>();
        for (Question q : query.questions()) {
            List<Record> recs = service.answers(q);
            ((q.qclass() & 0x8000) != 0 ? unicast : multicast).addAll(recs);
        }
        send(0, multicast, from);
        send(query.id(), unicast, from);
    }

    private void send(int id, List<Record> answers, InetSocketAddress to) {
        if (answers.isEmpty()) {
            return;
        }
        List<Record> bounded = answers.size() > DnsCodec.MAX_RECORDS ? answers.subList(0, DnsCodec.MAX_RECORDS) : answers;
        byte[] out = DnsCodec.encode(new DnsMessage(id, DnsMessage.FLAG_RESPONSE | DnsMessage.FLAG_AUTHORITATIVE,
                List.of(), bounded, List.of()));
        try {
            listener.send(new DatagramPacket(out, out.length, to));
            answered.incrementAndGet();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "agent.mdns: failed to answer " + to + ": " + e.getMessage());
        }
    }

    // ---- poller ----

    private void pollLoop() {
        do {
            try {
                poll();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "agent.mdns: Failed to poll for new hosts: " + e.getMessage());
            }
        } while (!await(settings.pollInterval()));
    }

    /** One query: ask, then collect answers on the asking socket for the query window. */
    void poll() throws IOException {
        polls.incrementAndGet();
        byte[] query = DnsCodec.encode(new DnsMessage(0, 0,
                List.of(new Question(service.serviceName(), DnsMessage.TYPE_PTR, DnsMessage.CLASS_IN)), List.of(), List.of()));
        try (DatagramSocket s = iface == null ? new DatagramSocket(0) : multicastOn(iface)) {
            s.send(new DatagramPacket(query, query.length, GROUP));
            long end = System.nanoTime() + settings.queryWindow().toNanos();
            byte[] buf = new byte[DnsCodec.MAX_MESSAGE + 1];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            int handled = 0;
            while (closed.getCount() > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                s.setSoTimeout((int) Math.max(1, left));
                try {
                    p.setLength(buf.length);
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    return;
                }
                if (++handled > settings.maxPacketsPerSecond()) {
                    droppedPackets.incrementAndGet();
                    continue;
                }
                DnsMessage m = decode(buf, p.getLength());
                if (m != null && m.isResponse()) {
                    collect(m);
                }
            }
        }
    }

    private static DatagramSocket multicastOn(NetworkInterface iface) throws IOException {
        MulticastSocket s = new MulticastSocket(0);
        try {
            s.setNetworkInterface(iface);
        } catch (SocketException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Takes the instances of our service in one response and queues their addresses for joining. */
    private void collect(DnsMessage m) {
        for (InetSocketAddress a : MdnsAnswers.instances(m, service.serviceName())) {
            if (a.getPort() == service.port() && a.getAddress().equals(service.address())) {
                continue; // ourselves
            }
            String hostPort = hostPort(a);
            seenLock.lock();
            try {
                if (seen.containsKey(hostPort) || pending.contains(hostPort)) {
                    continue;
                }
            } finally {
                seenLock.unlock();
            }
            if (!pending.offer(hostPort)) {
                droppedAddresses.incrementAndGet();
            }
        }
    }

    static String hostPort(InetSocketAddress a) {
        String ip = a.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }

    // ---- joiner ----

    private void joinLoop() {
        while (closed.getCount() > 0) {
            List<String> batch = new ArrayList<>();
            try {
                String first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                String next;
                while ((next = pending.poll(settings.quietInterval().toNanos(), TimeUnit.NANOSECONDS)) != null) {
                    batch.add(next);
                }
            } catch (InterruptedException e) {
                return;
            }
            if (closed.getCount() == 0) {
                return;
            }
            try {
                int n = joiner.join(batch, replay);
                if (n > 0) {
                    joinedHosts.addAndGet(n);
                    LOG.log(System.Logger.Level.INFO, "agent.mdns: Joined " + n + " hosts");
                }
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "agent.mdns: Failed to join: " + e.getMessage());
            }
            seenLock.lock();
            try {
                batch.forEach(a -> seen.put(a, Boolean.TRUE));
            } finally {
                seenLock.unlock();
            }
        }
    }

    /** Waits up to {@code d}; true when closed meanwhile. */
    private boolean await(Duration d) {
        try {
            return closed.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return true;
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The address announced (for logs and tests). */
    public InetAddress announcedAddress() {
        return service.address();
    }

    /** Stops answering and polling and closes the socket. Idempotent. */
    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        try {
            listener.leaveGroup(GROUP, iface);
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
        listener.close();
    }
}
