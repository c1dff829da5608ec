package serf.agent.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import serf.agent.discovery.DnsMessage.Rdata;
import serf.agent.discovery.DnsMessage.Record;

/**
 * Reads the agents a response announces: every SRV record of an instance of the service (owner
 * name {@code <instance>.<service>}) whose target has an A (or, failing that, AAAA) record in the
 * same message. The Go agent's responder sends PTR, SRV, A/AAAA and TXT together, so one message
 * is enough; an instance without an address in its message is skipped (the Go client would ask
 * again for it, and a Go responder would not answer that question: it gives nothing for a PTR
 * question about an instance).
 */
final class MdnsAnswers {
    private MdnsAnswers() {
    }

    static List<InetSocketAddress> instances(DnsMessage m, String serviceName) {
        String suffix = "." + serviceName.toLowerCase(Locale.ROOT);
        List<Record> all = m.allRecords();
        List<InetSocketAddress> out = new ArrayList<>();
        for (Record r : all) {
            if (r.data() instanceof Rdata.Srv srv && r.name().toLowerCase(Locale.ROOT).endsWith(suffix)
                    && srv.port() > 0) {
                InetAddress addr = address(all, srv.target());
                if (addr != null) {
                    InetSocketAddress a = new InetSocketAddress(addr, srv.port());
                    if (!out.contains(a)) {
                        out.add(a);
                    }
                }
            }
        }
        return out;
    }

    private static InetAddress address(List<Record> all, String host) {
        InetAddress v6 = null;
        for (Record r : all) {
            if (!MdnsService.sameName(r.name(), host)) {
                continue;
            }
            if (r.data() instanceof Rdata.A a) {
                return a.address();
            }
            if (r.data() instanceof Rdata.Aaaa a && v6 == null) {
                v6 = a.address();
            }
        }
        return v6;
    }
}
