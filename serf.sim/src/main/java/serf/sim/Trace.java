package serf.sim;

import java.util.function.Consumer;

/**
 * What the network did, in order: every packet sent, lost, cut off or delivered and every stream
 * opened or refused, folded into one 64-bit digest (two runs agree on it exactly when they agree on
 * every step) and, when asked for, handed out as lines.
 */
final class Trace {
    enum Kind { SENT, LOST, CUT, DELIVERED, STREAM, STREAM_REFUSED, EVENT }

    private long digest = 0xcbf29ce484222325L;
    private long entries;
    private final Consumer<String> lines;

    Trace(Consumer<String> lines) {
        this.lines = lines;
    }

    void record(Kind kind, long time, SimNode from, SimNode to, int length) {
        entries++;
        mix(kind.ordinal());
        mix(time);
        mix(from == null ? -1 : from.index());
        mix(to == null ? -1 : to.index());
        mix(length);
        if (lines != null) {
            lines.accept(time + " " + kind + " " + (from == null ? "-" : from.name()) + " -> "
                    + (to == null ? "-" : to.name()) + " " + length);
        }
    }

    /** A user-visible happening (an event delivered to a sink, say), folded in by its text. */
    void note(long time, String text) {
        entries++;
        mix(Kind.EVENT.ordinal());
        mix(time);
        mix(text.hashCode());
        if (lines != null) {
            lines.accept(time + " EVENT " + text);
        }
    }

    private void mix(long v) {
        // FNV-1a over the value's 8 bytes: cheap, and order-sensitive, which is the point.
        for (int i = 0; i < 8; i++) {
            digest ^= (v >>> (i * 8)) & 0xff;
            digest *= 0x100000001b3L;
        }
    }

    long digest() {
        return digest;
    }

    long entries() {
        return entries;
    }
}
