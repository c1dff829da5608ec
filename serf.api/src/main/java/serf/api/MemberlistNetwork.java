package serf.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import serf.memberlist.Memberlist;

/** What queries need from memberlist, read when used (memberlist starts after Serf's collaborators). */
final class MemberlistNetwork implements Queries.Network {
    private final Supplier<Memberlist> memberlist;

    MemberlistNetwork(Supplier<Memberlist> memberlist) {
        this.memberlist = memberlist;
    }

    @Override
    public InetSocketAddress advertiseAddress() {
        return memberlist.get().advertiseAddress();
    }

    @Override
    public int numMembers() {
        return memberlist.get().numMembers();
    }

    @Override
    public void sendTo(InetSocketAddress to, byte[] raw) throws IOException {
        memberlist.get().sendToAddress(to, raw);
    }
}
