package serf.agent.discovery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A DNS message as mDNS uses it (RFC 1035 layout, RFC 6762 conventions): a header, questions and
 * resource records. Only the record types Serf's discovery needs have typed data (PTR, SRV, TXT, A,
 * AAAA); any other record is kept as {@link Rdata.Other} with its type. {@link DnsCodec} reads and
 * writes the wire form.
 *
 * @param id          the query id (0 in multicast messages)
 * @param flags       the 16 flag bits of the header (QR, opcode, AA, TC, RD, RA, Z, rcode)
 * @param questions   the question section
 * @param answers     the answer section
 * @param additionals the authority and additional sections, in that order
 */
public record DnsMessage(int id, int flags, List<Question> questions, List<Record> answers, List<Record> additionals) {
    public static final int TYPE_A = 1;
    public static final int TYPE_PTR = 12;
    public static final int TYPE_TXT = 16;
    public static final int TYPE_AAAA = 28;
    public static final int TYPE_SRV = 33;
    public static final int TYPE_ANY = 255;
    public static final int CLASS_IN = 1;
    /** The QR bit: set in responses. */
    public static final int FLAG_RESPONSE = 0x8000;
    /** The AA bit. */
    public static final int FLAG_AUTHORITATIVE = 0x0400;
    /** The TC bit. */
    public static final int FLAG_TRUNCATED = 0x0200;

    public DnsMessage {
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        additionals = List.copyOf(additionals);
    }

    public boolean isResponse() {
        return (flags & FLAG_RESPONSE) != 0;
    }

    /** The opcode (bits 11-14 of the flags). */
    public int opcode() {
        return (flags >> 11) & 0xF;
    }

    /** The response code (low four bits of the flags). */
    public int rcode() {
        return flags & 0xF;
    }

    /** Answers and additionals together, answers first. */
    public List<Record> allRecords() {
        return java.util.stream.Stream.concat(answers.stream(), additionals.stream()).toList();
    }

    /**
     * One question.
     *
     * @param name   a fully qualified name with its trailing dot, e.g. {@code _serf_c._tcp.local.}
     * @param type   the query type
     * @param qclass the class with the mDNS unicast-response bit (0x8000) if set
     */
    public record Question(String name, int type, int qclass) {
        public Question {
            Objects.requireNonNull(name, "name");
        }

        /** Whether this question asks about {@code other} (DNS names compare without regard to ASCII case). */
        public boolean names(String other) {
            return name.toLowerCase(Locale.ROOT).equals(other.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * One resource record.
     *
     * @param name   the owner name, fully qualified with its trailing dot
     * @param rclass the class (the mDNS cache-flush bit, 0x8000, included)
     * @param ttl    seconds
     * @param data   the typed data; its type is the record's type
     */
    public record Record(String name, int rclass, long ttl, Rdata data) {
        public Record {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(data, "data");
        }

        public int type() {
            return data.type();
        }
    }

    /** The data of a record, by type. */
    public sealed interface Rdata {
        int type();

        /** PTR: the name pointed to. */
        record Ptr(String target) implements Rdata {
            @Override
            public int type() {
                return TYPE_PTR;
            }
        }

        /** SRV: where an instance of a service listens. */
        record Srv(int priority, int weight, int port, String target) implements Rdata {
            @Override
            public int type() {
                return TYPE_SRV;
            }
        }

        /** TXT: character strings, each at most 255 bytes. */
        record Txt(List<String> strings) implements Rdata {
            public Txt {
                strings = List.copyOf(strings);
            }

            @Override
            public int type() {
                return TYPE_TXT;
            }
        }

        /** A: an IPv4 address. */
        record A(Inet4Address address) implements Rdata {
            @Override
            public int type() {
                return TYPE_A;
            }
        }

        /** AAAA: an IPv6 address. */
        record Aaaa(Inet6Address address) implements Rdata {
            @Override
            public int type() {
                return TYPE_AAAA;
            }
        }

        /** Any other type; its data is skipped, not kept. */
        record Other(int type) implements Rdata {
        }
    }
}
