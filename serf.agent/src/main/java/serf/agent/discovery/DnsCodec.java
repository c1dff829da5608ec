package serf.agent.discovery;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import serf.agent.discovery.DnsMessage.Question;
import serf.agent.discovery.DnsMessage.Rdata;
import serf.agent.discovery.DnsMessage.Record;

/**
 * Reads and writes DNS messages, bounded for input from anyone on the link: a message of at most
 * {@link #MAX_MESSAGE} bytes, at most {@link #MAX_QUESTIONS} questions and {@link #MAX_RECORDS}
 * records, names of at most 255 bytes whose compression pointers only point backwards (so a loop
 * cannot be built) and at most {@link #MAX_POINTERS} of them per name. Anything else is a
 * {@link FormatException} carrying the offset where reading stopped; nothing is allocated from a
 * count the sender declared beyond those bounds.
 *
 * <p>Written messages carry no name compression (every reader accepts that; our messages are small).
 */
public final class DnsCodec {
    /** The largest message read or written: RFC 6762's limit for a multicast DNS packet. */
    public static final int MAX_MESSAGE = 9000;
    public static final int MAX_QUESTIONS = 16;
    public static final int MAX_RECORDS = 64;
    static final int MAX_POINTERS = 16;
    private static final int MAX_NAME = 255;

    private DnsCodec() {
    }

    /** A message that is not well-formed DNS, or goes beyond the bounds. */
    public static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(String what, int offset) {
            super(what + " at offset " + offset);
        }
    }

    /** Decodes {@code len} bytes of {@code buf}. */
    public static DnsMessage decode(byte[] buf, int len) throws FormatException {
        if (len > MAX_MESSAGE || len > buf.length) {
            throw new FormatException("message of " + len + " bytes is over the limit of " + MAX_MESSAGE, 0);
        }
        Reader r = new Reader(buf, len);
        int id = r.u16();
        int flags = r.u16();
        int qd = r.u16();
        int an = r.u16();
        int ns = r.u16();
        int ar = r.u16();
        if (qd > MAX_QUESTIONS) {
            throw new FormatException(qd + " questions, over the limit of " + MAX_QUESTIONS, 4);
        }
        if (an + ns + ar > MAX_RECORDS) {
            throw new FormatException((an + ns + ar) + " records, over the limit of " + MAX_RECORDS, 6);
        }
        List<Question> questions = new ArrayList<>(qd);
        for (int i = 0; i < qd; i++) {
            String name = r.name();
            questions.add(new Question(name, r.u16(), r.u16()));
        }
        List<Record> answers = new ArrayList<>(an);
        for (int i = 0; i < an; i++) {
            answers.add(r.record());
        }
        List<Record> more = new ArrayList<>(ns + ar);
        for (int i = 0; i < ns + ar; i++) {
            more.add(r.record());
        }
        return new DnsMessage(id, flags, questions, answers, more);
    }

    /** Encodes a message; throws {@link IllegalArgumentException} for a name or string DNS cannot carry. */
    public static byte[] encode(DnsMessage m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        u16(out, m.id());
        u16(out, m.flags());
        u16(out, m.questions().size());
        u16(out, m.answers().size());
        u16(out, 0);
        u16(out, m.additionals().size());
        for (Question q : m.questions()) {
            name(out, q.name());
            u16(out, q.type());
            u16(out, q.qclass());
        }
        for (Record rec : m.answers()) {
            record(out, rec);
        }
        for (Record rec : m.additionals()) {
            record(out, rec);
        }
        if (out.size() > MAX_MESSAGE) {
            throw new IllegalArgumentException("DNS message of " + out.size() + " bytes is over " + MAX_MESSAGE);
        }
        return out.toByteArray();
    }

    private static void record(ByteArrayOutputStream out, Record rec) {
        name(out, rec.name());
        u16(out, rec.type());
        u16(out, rec.rclass());
        u16(out, (int) (rec.ttl() >>> 16));
        u16(out, (int) rec.ttl());
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        switch (rec.data()) {
            case Rdata.Ptr p -> name(data, p.target());
            case Rdata.Srv s -> {
                u16(data, s.priority());
                u16(data, s.weight());
                u16(data, s.port());
                name(data, s.target());
            }
            case Rdata.Txt t -> {
                for (String s : t.strings()) {
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    if (b.length > 255) {
                        throw new IllegalArgumentException("TXT string over 255 bytes");
                    }
                    data.write(b.length);
                    data.writeBytes(b);
                }
            }
            case Rdata.A a -> data.writeBytes(a.address().getAddress());
            case Rdata.Aaaa a -> data.writeBytes(a.address().getAddress());
            case Rdata.Other o -> { }
        }
        u16(out, data.size());
        out.writeBytes(data.toByteArray());
    }

    /** Writes a name label by label; a trailing dot is optional, the root is "." or "". */
    static void name(ByteArrayOutputStream out, String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        int total = 1;
        if (!n.isEmpty()) {
            for (String label : n.split("\\.", -1)) {
                byte[] b = label.getBytes(StandardCharsets.UTF_8);
                if (b.length == 0 || b.length > 63) {
                    throw new IllegalArgumentException("DNS label of " + b.length + " bytes in '" + name + "'");
                }
                total += b.length + 1;
                if (total > MAX_NAME) {
                    throw new IllegalArgumentException("DNS name over 255 bytes: '" + name + "'");
                }
                out.write(b.length);
                out.writeBytes(b);
            }
        }
        out.write(0);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xFF);
        out.write(v & 0xFF);
    }

    /** A cursor over the message with bounds checks on every read. */
    private static final class Reader {
        private final byte[] buf;
        private final int len;
        private int pos;

        Reader(byte[] buf, int len) {
            this.buf = buf;
            this.len = len;
        }

        private void need(int n, String what) throws FormatException {
            if (n < 0 || len - pos < n) {
                throw new FormatException("truncated " + what, pos);
            }
        }

        int u8() throws FormatException {
            need(1, "byte");
            return buf[pos++] & 0xFF;
        }

        int u16() throws FormatException {
            need(2, "16-bit field");
            int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        long u32() throws FormatException {
            return ((long) u16() << 16) | u16();
        }

        /** A name at the cursor, following compression pointers (backwards only, bounded). */
        String name() throws FormatException {
            StringBuilder sb = new StringBuilder();
            int p = pos;
            int end = -1;
            int pointers = 0;
            int total = 1;
            while (true) {
                if (p >= len) {
                    throw new FormatException("truncated name", p);
                }
                int b = buf[p] & 0xFF;
                if (b == 0) {
                    p++;
                    break;
                }
                if ((b & 0xC0) == 0xC0) {
                    if (p + 1 >= len) {
                        throw new FormatException("truncated name pointer", p);
                    }
                    int target = ((b & 0x3F) << 8) | (buf[p + 1] & 0xFF);
                    if (target >= p || ++pointers > MAX_POINTERS) {
                        throw new FormatException("bad name pointer", p);
                    }
                    if (end < 0) {
                        end = p + 2;
                    }
                    p = target;
                    continue;
                }
                if ((b & 0xC0) != 0) {
                    throw new FormatException("unknown label type", p);
                }
                if (p + 1 + b > len) {
                    throw new FormatException("truncated label", p);
                }
                total += b + 1;
                if (total > MAX_NAME) {
                    throw new FormatException("name over 255 bytes", p);
                }
                sb.append(new String(buf, p + 1, b, StandardCharsets.UTF_8)).append('.');
                p += 1 + b;
            }
            pos = end >= 0 ? end : p;
            return sb.isEmpty() ? "." : sb.toString();
        }

        Record record() throws FormatException {
            String name = name();
            int type = u16();
            int rclass = u16();
            long ttl = u32();
            int rdlen = u16();
            need(rdlen, "record data");
            int start = pos;
            int end = pos + rdlen;
            Rdata data = switch (type) {
                case DnsMessage.TYPE_PTR -> new Rdata.Ptr(name());
                case DnsMessage.TYPE_SRV -> new Rdata.Srv(u16(), u16(), u16(), name());
                case DnsMessage.TYPE_TXT -> txt(end);
                case DnsMessage.TYPE_A -> new Rdata.A((Inet4Address) address(rdlen, 4, start));
                case DnsMessage.TYPE_AAAA -> new Rdata.Aaaa((Inet6Address) address(rdlen, 16, start));
                default -> new Rdata.Other(type);
            };
            if (pos > end) {
                throw new FormatException("record data longer than its length", start);
            }
            pos = end;
            return new Record(name, rclass, ttl, data);
        }

        private Rdata.Txt txt(int end) throws FormatException {
            List<String> strings = new ArrayList<>();
            while (pos < end) {
                int n = u8();
                if (pos + n > end) {
                    throw new FormatException("TXT string beyond its record", pos);
                }
                strings.add(new String(buf, pos, n, StandardCharsets.UTF_8));
                pos += n;
            }
            return new Rdata.Txt(strings);
        }

        private InetAddress address(int rdlen, int size, int start) throws FormatException {
            if (rdlen != size) {
                throw new FormatException("address record of " + rdlen + " bytes", start);
            }
            byte[] a = new byte[size];
            System.arraycopy(buf, pos, a, 0, size);
            pos += size;
            try {
                InetAddress addr = InetAddress.getByAddress(a);
                if (size == 16 && !(addr instanceof Inet6Address)) {
                    // an IPv4-mapped IPv6 address: keep it as the IPv6 form it was sent in
                    return Inet6Address.getByAddress(null, a, -1);
                }
                return addr;
            } catch (UnknownHostException e) {
                throw new FormatException("bad address", start);
            }
        }
    }
}
