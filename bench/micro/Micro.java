import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import serf.api.internal.msg.SerfCodec;
import serf.api.internal.msg.SerfMessage;
import serf.crypto.DecryptionException;
import serf.crypto.Encryption;
import serf.memberlist.internal.msg.Lzw;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;
import serf.memberlist.internal.msg.PacketCodec;
import serf.wire.DecodeLimits;
import serf.wire.MsgValue;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * Microbenchmarks of the per-packet work of a node, JDK only: the msgpack codec on the message mix
 * of real Go agents (bench/micro/message-mix.txt), the memberlist and Serf message codecs and the
 * packet decoder on the same mix, LZW, and AES-GCM on 1.4 KB packets (the UDP packet size).
 *
 * Each benchmark runs single-threaded for a warm-up, then for a measured period (both counted in
 * this thread's CPU time); the figure is operations per second of this thread's CPU time (so: per
 * core, and steady when other processes share the machine), with the wall-clock rate beside it.
 * JIT compilation runs in other threads and is not counted: the warm-up is there to let it finish. Run it through bench/micro/run.sh, which
 * compiles it against the built jars and runs it once per JVM mode (-Xint, C1 only as the
 * agent's launcher runs it, the default tiered JIT). The internal codecs are not exported: run.sh passes --add-exports.
 *
 *   java [JVM options] --module-path JARS --add-modules ALL-MODULE-PATH \
 *        --add-exports serf.memberlist/serf.memberlist.internal.msg=ALL-UNNAMED \
 *        --add-exports serf.api/serf.api.internal.msg=ALL-UNNAMED \
 *        bench/micro/Micro.java [message-mix.txt] [seconds per benchmark]
 */
public final class Micro {

    /** One line of the mix file: what it is and its bytes (type byte + msgpack body, or a datagram). */
    record Item(String kind, byte[] bytes) {
    }

    /** One benchmark operation; returns how many messages (or packets) it handled. */
    interface Op {
        int run() throws Exception;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int PACKET_SIZE = 1400;
    /** Results land here so that no work can be proven dead and dropped. */
    static volatile long sink;
    static volatile Object sinkObject;

    public static void main(String[] args) throws Exception {
        Path mixFile = Path.of(args.length > 0 ? args[0] : "bench/micro/message-mix.txt");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        List<Item> items = load(mixFile);
        List<Item> memberlist = items.stream().filter(i -> i.kind().startsWith("ml:")).toList();
        List<Item> serf = items.stream().filter(i -> i.kind().startsWith("serf:")).toList();
        List<Item> messages = items.stream().filter(i -> !i.kind().equals("packet")).toList();
        List<Item> packets = items.stream().filter(i -> i.kind().equals("packet")).toList();

        System.out.printf("JVM: %s %s (%s), options: %s%n", System.getProperty("java.vm.name"),
                Runtime.version(), System.getProperty("java.vm.info"),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.printf("mix: %d messages (%d memberlist, %d serf, %d bytes), %d UDP datagrams (%d bytes), "
                        + "from %s; %.1f s per benchmark after %.1f s warm-up%n",
                messages.size(), memberlist.size(), serf.size(), bytes(messages), packets.size(), bytes(packets),
                mixFile, seconds, seconds / 2);

        // The decoded forms the encoders start from, and checks that they are the real thing.
        List<List<MsgValue>> trees = messages.stream().map(i -> tree(i.bytes())).toList();
        List<Message> mlDecoded = memberlist.stream().map(i -> MessageCodec.decode(i.bytes(), 0, i.bytes().length)).toList();
        List<SerfMessage> serfDecoded = serf.stream().map(i -> SerfCodec.decode(i.bytes(), 0, i.bytes().length)).toList();
        checkRoundTrips(messages, trees, memberlist, mlDecoded, serf, serfDecoded);

        byte[] packet = packetOfMix(messages);
        byte[] key128 = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] key256 = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] sealed128 = Encryption.encrypt(1, key128, packet, null);
        byte[] sealed256 = Encryption.encrypt(1, key256, packet, null);
        byte[] compressed = Lzw.compress(packet);
        System.out.printf("1.4 KB packet: %d bytes of the mix back to back; LZW makes it %d bytes%n%n",
                packet.length, compressed.length);

        System.out.printf("%-52s %14s %14s %10s%n", "benchmark (single thread)", "per CPU-second", "per wall-s",
                "MB/CPU-s");
        int mixBytes = bytes(messages);
        bench("msgpack decode, generic tree (serf.wire)", "msg", mixBytes, seconds, () -> {
            long s = 0;
            for (Item i : messages) {
                MsgpackReader r = new MsgpackReader(i.bytes(), 1, i.bytes().length - 1, DecodeLimits.DEFAULT);
                while (r.hasRemaining()) {
                    sinkObject = r.readValue();
                }
                s += r.position();
            }
            sink = s;
            return messages.size();
        });
        MsgpackWriter writer = MsgpackWriter.gossip();
        bench("msgpack encode, generic tree (serf.wire)", "msg", mixBytes, seconds, () -> {
            long s = 0;
            for (List<MsgValue> values : trees) {
                writer.reset();
                for (MsgValue v : values) {
                    writer.writeValue(v);
                }
                s += writer.size();
            }
            sink = s;
            return trees.size();
        });
        bench("memberlist message decode (MessageCodec)", "msg", bytes(memberlist), seconds, () -> {
            for (Item i : memberlist) {
                sinkObject = MessageCodec.decode(i.bytes(), 0, i.bytes().length);
            }
            return memberlist.size();
        });
        bench("memberlist message encode (MessageCodec)", "msg", bytes(memberlist), seconds, () -> {
            long s = 0;
            for (Message m : mlDecoded) {
                s += MessageCodec.encode(m).length;
            }
            sink = s;
            return mlDecoded.size();
        });
        bench("serf message decode (SerfCodec)", "msg", bytes(serf), seconds, () -> {
            for (Item i : serf) {
                sinkObject = SerfCodec.decode(i.bytes(), 0, i.bytes().length);
            }
            return serf.size();
        });
        bench("serf message encode (SerfCodec)", "msg", bytes(serf), seconds, () -> {
            long s = 0;
            for (SerfMessage m : serfDecoded) {
                s += SerfCodec.encode(m).length;
            }
            sink = s;
            return serfDecoded.size();
        });
        bench("UDP datagram decode: CRC, compound, messages", "pkt", bytes(packets), seconds, () -> {
            long s = 0;
            for (Item i : packets) {
                s += PacketCodec.decode(i.bytes()).messages().size();
            }
            sink = s;
            return packets.size();
        });
        bench("LZW compress, 1.4 KB packet", "pkt", packet.length, seconds, () -> {
            sink = Lzw.compress(packet).length;
            return 1;
        });
        bench("LZW decompress, 1.4 KB packet", "pkt", packet.length, seconds, () -> {
            sink = Lzw.decompress(compressed, 0, compressed.length, PacketCodec.MAX_DECOMPRESSED_BYTES).length;
            return 1;
        });
        bench("AES-128-GCM seal, 1.4 KB packet (serf.crypto)", "pkt", packet.length, seconds,
                () -> seal(key128, packet));
        bench("AES-128-GCM open, 1.4 KB packet (serf.crypto)", "pkt", packet.length, seconds,
                () -> open(key128, sealed128));
        bench("AES-256-GCM seal, 1.4 KB packet (serf.crypto)", "pkt", packet.length, seconds,
                () -> seal(key256, packet));
        bench("AES-256-GCM open, 1.4 KB packet (serf.crypto)", "pkt", packet.length, seconds,
                () -> open(key256, sealed256));
    }

    private static int seal(byte[] key, byte[] packet) {
        sink = Encryption.encrypt(1, key, packet, null).length;
        return 1;
    }

    private static int open(byte[] key, byte[] sealed) throws DecryptionException {
        sink = Encryption.decrypt(List.of(key), sealed, null).length;
        return 1;
    }

    /**
     * Runs op for seconds/2 of this thread's CPU time (warm-up), then for seconds of it, and prints
     * operations per CPU-second of this thread and per wall-clock second. Durations count CPU time so
     * that a loaded machine stretches the run instead of shrinking the sample; a wall-clock bound of
     * 20 times as long stops it on a machine so busy that it hardly runs at all.
     */
    private static void bench(String name, String unit, int bytesPerRound, double seconds, Op op) throws Exception {
        runFor(op, seconds / 2);
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long count = 0;
        long rounds = 0;
        long cpuEnd = cpu0 + (long) (seconds * 1e9);
        long wallEnd = wall0 + (long) (20 * seconds * 1e9);
        int batch = 1;  // grown until a batch takes >= 1 ms, so that reading the clocks costs nothing
        do {
            long t = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                count += op.run();
            }
            rounds += batch;
            if (System.nanoTime() - t < 1_000_000 && batch < 1 << 20) {
                batch *= 2;
            }
        } while (THREADS.getCurrentThreadCpuTime() < cpuEnd && System.nanoTime() < wallEnd);
        double cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        System.out.printf("%-52s %,12.0f/s %,12.0f/s %10.1f   (%s)%n", name, count / cpu, count / wall,
                rounds * (double) bytesPerRound / cpu / 1e6, unit);
    }

    private static void runFor(Op op, double seconds) throws Exception {
        long cpuEnd = THREADS.getCurrentThreadCpuTime() + (long) (seconds * 1e9);
        long wallEnd = System.nanoTime() + (long) (20 * seconds * 1e9);
        int batch = 1;
        do {
            long t = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                op.run();
            }
            if (System.nanoTime() - t < 1_000_000 && batch < 1 << 20) {
                batch *= 2;
            }
        } while (THREADS.getCurrentThreadCpuTime() < cpuEnd && System.nanoTime() < wallEnd);
    }

    private static List<Item> load(Path file) throws IOException {
        List<Item> items = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            items.add(new Item(parts[0], HexFormat.of().parseHex(parts[1])));
        }
        return items;
    }

    private static int bytes(List<Item> items) {
        return items.stream().mapToInt(i -> i.bytes().length).sum();
    }

    /** The msgpack values after the type byte (a message body is one map; some carry more after it). */
    private static List<MsgValue> tree(byte[] message) {
        MsgpackReader r = new MsgpackReader(message, 1, message.length - 1, DecodeLimits.DEFAULT);
        List<MsgValue> values = new ArrayList<>();
        while (r.hasRemaining()) {
            values.add(r.readValue());
        }
        return values;
    }

    /** Messages of the mix back to back up to 1400 bytes: as compressible as real gossip. */
    private static byte[] packetOfMix(List<Item> messages) {
        byte[] packet = new byte[PACKET_SIZE];
        int at = 0;
        for (int i = 0; at < PACKET_SIZE; i = (i + 1) % messages.size()) {
            byte[] m = messages.get(i).bytes();
            int n = Math.min(m.length, PACKET_SIZE - at);
            System.arraycopy(m, 0, packet, at, n);
            at += n;
        }
        return packet;
    }

    /** Re-encoding what was decoded must give Go's bytes back; says how many do not (map order etc.). */
    private static void checkRoundTrips(List<Item> messages, List<List<MsgValue>> trees, List<Item> memberlist,
                                        List<Message> mlDecoded, List<Item> serf, List<SerfMessage> serfDecoded) {
        int generic = 0;
        MsgpackWriter w = MsgpackWriter.gossip();
        for (int i = 0; i < messages.size(); i++) {
            w.reset();
            w.writeByte(messages.get(i).bytes()[0]);
            for (MsgValue v : trees.get(i)) {
                w.writeValue(v);
            }
            generic += Arrays.equals(w.toByteArray(), messages.get(i).bytes()) ? 1 : 0;
        }
        int ml = 0;
        for (int i = 0; i < memberlist.size(); i++) {
            ml += Arrays.equals(MessageCodec.encode(mlDecoded.get(i)), memberlist.get(i).bytes()) ? 1 : 0;
        }
        int sf = 0;
        for (int i = 0; i < serf.size(); i++) {
            sf += Arrays.equals(SerfCodec.encode(serfDecoded.get(i)), serf.get(i).bytes()) ? 1 : 0;
        }
        System.out.printf("re-encoded byte for byte as Go sent them: generic %d/%d, memberlist %d/%d, serf %d/%d%n",
                generic, messages.size(), ml, memberlist.size(), sf, serf.size());
    }
}
