package serf.api;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import serf.api.internal.msg.SerfCodec;
import serf.api.internal.msg.SerfMessage;
import serf.memberlist.Memberlist;
import serf.memberlist.Scheduler;

/**
 * What this node says about membership on its own initiative: the join intent after a join (and to
 * refute a leave someone else claimed for us), the leave intent of a graceful leave, and force-leave
 * of a failed node. Each intent is applied locally first, then gossiped; a leave waits (through the
 * scheduler) until it went out or the broadcast timeout passed.
 */
final class MemberIntents {
    private final Config config;
    private final MemberTracker members;
    private final UserEvents userEvents;
    private final SerfBroadcasts broadcasts;
    private final Scheduler scheduler;
    private final Supplier<Memberlist> memberlist;

    MemberIntents(Config config, MemberTracker members, UserEvents userEvents, SerfBroadcasts broadcasts,
            Scheduler scheduler, Supplier<Memberlist> memberlist) {
        this.config = config;
        this.members = members;
        this.userEvents = userEvents;
        this.broadcasts = broadcasts;
        this.scheduler = scheduler;
        this.memberlist = memberlist;
    }

    /** Push/pull with each address, then a join intent when any answered; see {@link Serf#join}. */
    int join(List<String> existing, boolean ignoreOld) throws SerfException {
        if (ignoreOld) {
            userEvents.setJoinIgnore(true);
        }
        int n;
        try {
            n = memberlist.get().join(existing);
        } catch (IOException e) {
            throw new SerfException(e.getMessage(), e);
        } finally {
            if (ignoreOld) {
                userEvents.setJoinIgnore(false);
            }
        }
        if (n > 0) {
            broadcastJoin(members.clock().time());
        }
        return n;
    }

    /** Someone force-left us while we are alive: answer with a fresh join intent. */
    void refuteLeave() {
        broadcastJoin(members.clock().time());
    }

    private void broadcastJoin(long lTime) {
        SerfMessage.Join msg = new SerfMessage.Join(lTime, config.nodeName());
        members.clock().witness(lTime);
        members.joinIntent(msg);
        broadcasts.intent(SerfCodec.encode(msg), null);
    }

    /** Marks {@code node} as left cluster-wide (erased at once with {@code prune}); see {@link Serf#removeFailedNode}. */
    void forceLeave(String node, boolean prune) throws SerfException {
        if (!leave(node, prune)) {
            throw new SerfException("timed out broadcasting node removal");
        }
    }

    /** The leave intent of this node's own graceful leave. */
    void leaveSelf() throws SerfException {
        if (!leave(config.nodeName(), false)) {
            throw new SerfException("timeout while waiting for graceful leave");
        }
    }

    /** Applies a leave intent and, when anyone else is alive, gossips it; false when that timed out. */
    private boolean leave(String node, boolean prune) throws SerfException {
        SerfMessage.Leave msg = new SerfMessage.Leave(members.clock().time(), node, prune);
        members.clock().increment();
        members.leaveIntent(msg);
        return !members.anyOtherAlive() || broadcastAndWait(msg);
    }

    /** Queues a leave intent and waits (through the scheduler) until it was gossiped enough or the broadcast timeout. */
    private boolean broadcastAndWait(SerfMessage.Leave msg) throws SerfException {
        CountDownLatch done = new CountDownLatch(1);
        broadcasts.intent(SerfCodec.encode(msg), done);
        try {
            return scheduler.await(done, config.broadcastTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SerfException("interrupted broadcasting node removal");
        }
    }
}
