package serf.memberlist;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;
import serf.memberlist.internal.msg.StreamCodec;
import serf.memberlist.internal.msg.StreamRejectedException;
import serf.memberlist.internal.msg.WireOptions;
import serf.memberlist.transport.StreamConnection;
import serf.wire.DecodeException;
import serf.wire.InputBudget;
import serf.wire.InputRefusedException;

/**
 * Streams in (Go's handleConn): one message per stream, read within the input budget and the
 * stream cap: a push/pull (answered and merged, a bounded number at once), a TCP ping, a user message.
 */
final class StreamHandler {
    private final NodeContext ctx;
    private final MemberlistConfig config;
    private final LogLimiter limited;
    private final MemberlistStats stats;
    private final PushPull pushPull;
    private final PushPullAdmission admission;

    StreamHandler(NodeContext ctx, PushPull pushPull, PushPullAdmission admission) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.limited = ctx.limited();
        this.stats = ctx.stats();
        this.pushPull = pushPull;
        this.admission = admission;
    }

    void onStream(StreamConnection c) {
        if (ctx.shutdown().isDown()) {
            return;
        }
        ctx.log().log(System.Logger.Level.DEBUG, () -> "memberlist: Stream connection from=" + NodeContext.hostPort(c.remoteAddress()));
        ctx.state().metrics().tcpAccept.increment();
        WireOptions opts = ctx.wire();
        // Reserved before the first byte and kept until the message has been handled (merged).
        try (InputBudget.Reservation r = ctx.budget().reserve(Memberlist.STREAM_OVERHEAD)) {
            c.setDeadline(NodeContext.socketDeadline(config.tcpTimeout()));
            // One message per stream and nothing after it, so reading ahead is harmless and saves syscalls.
            InputStream in = new java.io.BufferedInputStream(c.input(), 8192);
            Message m;
            try {
                m = StreamCodec.read(in, opts, Memberlist.MAX_PUSH_STATE_BYTES, PushPull.streamCap(ctx, false), r);
            } catch (StreamRejectedException e) {
                if (e.getMessage().startsWith(StreamCodec.TOO_LARGE)) {
                    stats.streamsRefusedCap.incrementAndGet();
                }
                limited.log(System.Logger.Level.ERROR, "stream-rejected", "memberlist: failed to receive: " + e.getMessage() + " from=" + c.remoteAddress());
                if (e.sendErrReply()) {
                    StreamCodec.write(c.output(), MessageCodec.encode(new Message.Err(e.getMessage())), opts);
                }
                return;
            }
            if (m == null) {
                return;
            }
            handle(m, c, opts);
        } catch (InputRefusedException e) {
            stats.streamsRefusedBudget.incrementAndGet();
            limited.log(System.Logger.Level.WARNING, "stream-budget", "memberlist: dropped a stream from " + c.remoteAddress() + ": " + e.getMessage());
        } catch (IOException | DecodeException e) {
            stats.streamsFailed.incrementAndGet();
            ctx.log().log(System.Logger.Level.DEBUG, () -> "memberlist: stream from " + c.remoteAddress() + " failed: " + e.getMessage());
        } catch (RuntimeException e) {
            stats.streamsFailed.incrementAndGet();
            limited.log(System.Logger.Level.WARNING, "stream-failed", "memberlist: stream from " + c.remoteAddress() + " failed: " + e);
        }
    }

    private void handle(Message m, StreamConnection c, WireOptions opts) throws IOException {
        switch (m) {
            case Message.PushPull pp -> {
                PushPullAdmission.Admitted admitted = admission.admit(ctx.state().table().estimatedNumNodes());
                if (admitted == null) {
                    limited.log(System.Logger.Level.ERROR, "pushpull-limit", "memberlist: Too many pending push/pull requests");
                    return;
                }
                try (admitted) {
                    c.setDeadline(NodeContext.socketDeadline(config.tcpTimeout()));
                    OutputStream out = c.output();
                    ctx.state().metrics().tcpSent.add(StreamCodec.write(out, StreamCodec.encodePushPull(pushPull.localState(pp.join())), opts));
                    pushPull.mergeRemoteState(pp);
                }
            }
            case Message.Ping p -> {
                if (!p.node().isEmpty() && !p.node().equals(ctx.name())) {
                    limited.log(System.Logger.Level.WARNING, "unexpected-ping", "memberlist: Got ping for unexpected node " + p.node() + " from=" + c.remoteAddress());
                    return;
                }
                ctx.state().metrics().tcpSent.add(StreamCodec.write(c.output(), MessageCodec.encode(new Message.Ack(p.seqNo(), null)), opts));
            }
            case Message.User u -> {
                if (config.delegate() != null && u.payload().length > 0) {
                    config.delegate().notifyMsg(u.payload());
                }
            }
            default -> limited.log(System.Logger.Level.ERROR, "stream-type", "memberlist: Received invalid msgType (" + m.type() + ") from=" + c.remoteAddress());
        }
    }
}
