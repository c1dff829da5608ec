package serf.agent.discovery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import serf.agent.discovery.DnsMessage.Question;
import serf.agent.discovery.DnsMessage.Rdata;
import serf.agent.discovery.DnsMessage.Record;

/**
 * What one agent announces over mDNS, and the records it answers a question with — the same
 * records, in the same order, as the Go agent's announcement: for the service name
 * {@code _serf_<cluster>._tcp.local.} a PTR to the instance {@code <node>._serf_<cluster>._tcp.local.}
 * followed by the instance's SRV (priority 10, weight 1, the gossip port, target the host name),
 * the host's A/AAAA records and a TXT record {@code Serf '<cluster>' cluster}; for the instance name
 * its SRV (with addresses), TXT, or both (ANY); for the host name its addresses. TTL 120 s.
 *
 * @param cluster  the {@code -discover} name
 * @param instance the node name
 * @param hostName the host's name, fully qualified with a trailing dot (Go: the OS host name + ".")
 * @param port     the gossip port others join
 * @param address  the gossip address others join
 */
public record MdnsService(String cluster, String instance, String hostName, int port, InetAddress address) {
    static final long TTL = 120;
    static final String DOMAIN = "local.";

    /** The name asked for: {@code _serf_<cluster>._tcp.local.}. */
    public static String serviceName(String cluster) {
        return "_serf_" + cluster + "._tcp." + DOMAIN;
    }

    public String serviceName() {
        return serviceName(cluster);
    }

    public String instanceName() {
        return instance + "." + serviceName();
    }

    String enumName() {
        return "_services._dns-sd._udp." + DOMAIN;
    }

    /** Checks that every name can be written as DNS (labels of 1-63 bytes); the message says what is wrong. */
    public void validate() {
        DnsCodec.encode(new DnsMessage(0, 0, List.of(), answers(new Question(serviceName(), DnsMessage.TYPE_PTR,
                DnsMessage.CLASS_IN)), List.of()));
    }

    /** The records answering {@code q}; empty when the question is not about this service. */
    public List<Record> answers(Question q) {
        int type = q.type();
        if (q.names(enumName())) {
            return type == DnsMessage.TYPE_ANY || type == DnsMessage.TYPE_PTR
                    ? List.of(new Record(q.name(), DnsMessage.CLASS_IN, TTL, new Rdata.Ptr(serviceName())))
                    : List.of();
        }
        if (q.names(serviceName())) {
            if (type != DnsMessage.TYPE_ANY && type != DnsMessage.TYPE_PTR) {
                return List.of();
            }
            List<Record> out = new ArrayList<>();
            out.add(new Record(q.name(), DnsMessage.CLASS_IN, TTL, new Rdata.Ptr(instanceName())));
            out.addAll(instance(instanceName(), DnsMessage.TYPE_ANY));
            return out;
        }
        if (q.names(instanceName())) {
            return instance(q.name(), type);
        }
        if (q.names(hostName) && (type == DnsMessage.TYPE_A || type == DnsMessage.TYPE_AAAA)) {
            return instance(q.name(), type);
        }
        return List.of();
    }

    private List<Record> instance(String name, int type) {
        List<Record> out = new ArrayList<>();
        switch (type) {
            case DnsMessage.TYPE_ANY -> {
                out.addAll(instance(name, DnsMessage.TYPE_SRV));
                out.addAll(instance(name, DnsMessage.TYPE_TXT));
            }
            case DnsMessage.TYPE_SRV -> {
                out.add(new Record(name, DnsMessage.CLASS_IN, TTL, new Rdata.Srv(10, 1, port, hostName)));
                out.addAll(instance(name, DnsMessage.TYPE_A));
                out.addAll(instance(name, DnsMessage.TYPE_AAAA));
            }
            case DnsMessage.TYPE_TXT -> out.add(new Record(name, DnsMessage.CLASS_IN, TTL,
                    new Rdata.Txt(List.of("Serf '" + cluster + "' cluster"))));
            case DnsMessage.TYPE_A -> {
                if (address instanceof Inet4Address a) {
                    out.add(new Record(hostName, DnsMessage.CLASS_IN, TTL, new Rdata.A(a)));
                }
            }
            case DnsMessage.TYPE_AAAA -> {
                if (address instanceof Inet6Address a) {
                    out.add(new Record(hostName, DnsMessage.CLASS_IN, TTL, new Rdata.Aaaa(a)));
                }
            }
            default -> { }
        }
        return out;
    }

    /** DNS compares names without regard to ASCII case. */
    static boolean sameName(String a, String b) {
        return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }
}
