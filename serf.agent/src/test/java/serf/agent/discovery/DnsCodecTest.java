package serf.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import serf.agent.discovery.DnsMessage.Question;
import serf.agent.discovery.DnsMessage.Rdata;
import serf.agent.discovery.DnsMessage.Record;

class DnsCodecTest {
    private static final MdnsService SVC = svc();

    private static MdnsService svc() {
        try {
            return new MdnsService("prod", "node-1", "host.", 7946, InetAddress.getByName("10.1.2.3"));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DnsMessage response(List<Record> answers) {
        return new DnsMessage(0, DnsMessage.FLAG_RESPONSE | DnsMessage.FLAG_AUTHORITATIVE, List.of(), answers, List.of());
    }

    @Test
    void theServiceAnswersAsTheGoAgentDoes() {
        List<Record> recs = SVC.answers(new Question("_serf_prod._tcp.local.", DnsMessage.TYPE_PTR, 1));
        assertThat(recs).extracting(Record::type).containsExactly(DnsMessage.TYPE_PTR, DnsMessage.TYPE_SRV,
                DnsMessage.TYPE_A, DnsMessage.TYPE_TXT);
        assertThat(recs.get(0).data()).isEqualTo(new Rdata.Ptr("node-1._serf_prod._tcp.local."));
        assertThat(recs.get(1).name()).isEqualTo("node-1._serf_prod._tcp.local.");
        assertThat(recs.get(1).data()).isEqualTo(new Rdata.Srv(10, 1, 7946, "host."));
        assertThat(recs.get(2).name()).isEqualTo("host.");
        assertThat(recs.get(3).data()).isEqualTo(new Rdata.Txt(List.of("Serf 'prod' cluster")));
        assertThat(recs).allMatch(r -> r.ttl() == 120);
        // other names and types: nothing
        assertThat(SVC.answers(new Question("_serf_other._tcp.local.", DnsMessage.TYPE_PTR, 1))).isEmpty();
        assertThat(SVC.answers(new Question("_serf_prod._tcp.local.", DnsMessage.TYPE_SRV, 1))).isEmpty();
        // names compare without case; the instance and the host answer too
        assertThat(SVC.answers(new Question("_SERF_PROD._tcp.LOCAL.", DnsMessage.TYPE_ANY, 1))).hasSize(4);
        assertThat(SVC.answers(new Question("node-1._serf_prod._tcp.local.", DnsMessage.TYPE_SRV, 1))).hasSize(2);
        assertThat(SVC.answers(new Question("host.", DnsMessage.TYPE_A, 1))).hasSize(1);
    }

    @Test
    void roundTripAndTheAnnouncedAgentIsFound() throws Exception {
        List<Record> recs = SVC.answers(new Question(SVC.serviceName(), DnsMessage.TYPE_PTR, 1));
        byte[] wire = DnsCodec.encode(response(recs));
        DnsMessage back = DnsCodec.decode(wire, wire.length);
        assertThat(back.answers()).isEqualTo(recs);
        assertThat(back.isResponse()).isTrue();
        assertThat(MdnsAnswers.instances(back, "_serf_prod._tcp.local."))
                .containsExactly(new InetSocketAddress("10.1.2.3", 7946));
        assertThat(MdnsAnswers.instances(back, "_serf_other._tcp.local.")).isEmpty();
    }

    @Test
    void readsCompressedNames() throws Exception {
        // header, one answer: name "a.local." at 12, then a PTR whose owner is a pointer to 12
        // and whose target is "b" + pointer to "local." (offset 14)
        byte[] m = {0, 0, (byte) 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 0,
                1, 'a', 5, 'l', 'o', 'c', 'a', 'l', 0, 0, 1, 0, 1, 0, 0, 0, 120, 0, 4, 10, 0, 0, 1,
                (byte) 0xC0, 12, 0, 12, 0, 1, 0, 0, 0, 120, 0, 4, 1, 'b', (byte) 0xC0, 14};
        DnsMessage d = DnsCodec.decode(m, m.length);
        assertThat(d.answers().get(0).data()).isEqualTo(new Rdata.A((java.net.Inet4Address) InetAddress.getByName("10.0.0.1")));
        assertThat(d.answers().get(1).name()).isEqualTo("a.local.");
        assertThat(d.answers().get(1).data()).isEqualTo(new Rdata.Ptr("b.local."));
    }

    @Test
    void refusesPointerLoopsAndOversizedCounts() {
        byte[] loop = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1};
        assertThatThrownBy(() -> DnsCodec.decode(loop, loop.length)).isInstanceOf(DnsCodec.FormatException.class)
                .hasMessageContaining("pointer");
        byte[] many = {0, 0, (byte) 0x80, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0};
        assertThatThrownBy(() -> DnsCodec.decode(many, many.length)).isInstanceOf(DnsCodec.FormatException.class)
                .hasMessageContaining("over the limit");
        assertThatThrownBy(() -> DnsCodec.decode(new byte[9001], 9001)).isInstanceOf(DnsCodec.FormatException.class);
    }

    @Test
    void refusesLabelsDnsCannotCarry() {
        MdnsService bad = new MdnsService("c", "x".repeat(64), "h.", 1, SVC.address());
        assertThatThrownBy(bad::validate).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 bytes");
    }

    /** Seeded mutations of a real answer: every outcome is a message or a FormatException, never another throwable. */
    @Test
    void mutatedPacketsNeverThrowAnythingElse() {
        byte[] good = DnsCodec.encode(response(SVC.answers(new Question(SVC.serviceName(), DnsMessage.TYPE_PTR, 1))));
        Random rnd = new Random(14);
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] m = good.clone();
            int len = rnd.nextInt(4) == 0 ? rnd.nextInt(m.length + 1) : m.length;
            for (int k = rnd.nextInt(6); k >= 0; k--) {
                m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
            }
            try {
                DnsMessage d = DnsCodec.decode(m, len);
                MdnsAnswers.instances(d, SVC.serviceName());
                parsed++;
            } catch (DnsCodec.FormatException e) {
                refused++;
            }
        }
        assertThat(parsed).isPositive();
        assertThat(refused).isPositive();
    }
}
