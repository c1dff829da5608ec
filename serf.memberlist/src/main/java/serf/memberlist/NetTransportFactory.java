package serf.memberlist;

import java.io.IOException;
import java.net.InetAddress;
import serf.memberlist.transport.NetTransport;
import serf.memberlist.transport.NetTransportConfig;
import serf.memberlist.transport.Transport;

/** Builds the UDP+TCP transport from memberlist's bind and advertise settings. */
final class NetTransportFactory {
    private NetTransportFactory() {
    }

    static Transport create(MemberlistConfig c) throws IOException {
        InetAddress bind = InetAddress.getByName(c.bindAddr() == null || c.bindAddr().isEmpty() ? "0.0.0.0" : c.bindAddr());
        NetTransportConfig tc = NetTransportConfig.of(bind, c.bindPort()).withLogger(c.logger())
                .withLoopThreads(c.loopThreads());
        if (c.advertiseAddr() != null && !c.advertiseAddr().isEmpty()) {
            tc = tc.withAdvertise(InetAddress.getByName(c.advertiseAddr()), c.advertisePort());
        }
        return NetTransport.open(tc);
    }
}
