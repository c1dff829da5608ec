package serf.snapshot.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import serf.snapshot.KnownNode;
import serf.snapshot.RecoveredState;

/**
 * Replays a snapshot file the way Go serf 0.9.4 does (line by line, last value wins, a torn last
 * line ignored), with bounds Go lacks: lines longer than a cap are skipped without being held in
 * memory, and the alive map has a size budget.
 */
public final class SnapshotReplay {

    /** Alive names and addresses kept, in chars; far above any real cluster, far below the heap. */
    static final long ALIVE_TEXT_BUDGET = 32L * 1024 * 1024;

    private static final int READ_CHUNK = 64 * 1024;

    /**
     * @param state          what the file says
     * @param completeLength bytes up to and including the last {@code \n}; anything after it is a torn line
     */
    public record Result(RecoveredState state, long completeLength) {
    }

    private final boolean rejoinAfterLeave;
    private final int maxLineLength;
    private final Logger logger;
    private final WarningLimiter warnings;

    private final Map<String, String> alive = new LinkedHashMap<>();
    private long aliveText;
    private boolean aliveBudgetWarned;
    private long lastClock;
    private long lastEventClock;
    private long lastQueryClock;
    private String lastCoordinate;
    private boolean leaveRecorded;

    private SnapshotReplay(boolean rejoinAfterLeave, int maxLineLength, Logger logger) {
        this.rejoinAfterLeave = rejoinAfterLeave;
        this.maxLineLength = maxLineLength;
        this.logger = logger;
        this.warnings = new WarningLimiter(logger);
    }

    /** Reads {@code in} to its end. Never fails on content; only I/O errors propagate. */
    public static Result replay(InputStream in, boolean rejoinAfterLeave, int maxLineLength, Logger logger)
            throws IOException {
        return new SnapshotReplay(rejoinAfterLeave, maxLineLength, logger).run(in);
    }

    private Result run(InputStream in) throws IOException {
        byte[] chunk = new byte[READ_CHUNK];
        byte[] line = new byte[maxLineLength];
        int lineLength = 0;
        boolean overlong = false;
        long position = 0;
        long completeLength = 0;
        int n;
        while ((n = in.read(chunk)) >= 0) {
            for (int i = 0; i < n; i++) {
                byte b = chunk[i];
                if (b == '\n') {
                    if (overlong) {
                        warnings.warn("Skipping snapshot line longer than " + maxLineLength + " bytes");
                    } else {
                        apply(new String(line, 0, lineLength, StandardCharsets.UTF_8));
                    }
                    lineLength = 0;
                    overlong = false;
                    completeLength = position + i + 1;
                } else if (!overlong) {
                    if (lineLength == maxLineLength) {
                        overlong = true;
                    } else {
                        line[lineLength++] = b;
                    }
                }
            }
            position += n;
        }
        long torn = position - completeLength;
        if (torn > 0) {
            logger.log(Level.WARNING, "Ignoring unterminated last line of snapshot ({0} bytes): {1}", torn,
                    LogText.quote(new String(line, 0, lineLength, StandardCharsets.UTF_8)));
        }
        warnings.summarize();
        List<KnownNode> nodes = new ArrayList<>(alive.size());
        alive.forEach((name, address) -> nodes.add(new KnownNode(name, address)));
        RecoveredState state = new RecoveredState(nodes, lastClock, lastEventClock, lastQueryClock,
                Optional.ofNullable(lastCoordinate), leaveRecorded, warnings.count(), torn);
        return new Result(state, completeLength);
    }

    private void apply(String text) {
        switch (SnapshotLine.parse(text)) {
            case SnapshotLine.Alive a -> putAlive(a.name(), a.address());
            case SnapshotLine.NotAlive n -> removeAlive(n.name());
            case SnapshotLine.Clock c -> lastClock = c.value();
            case SnapshotLine.EventClock c -> lastEventClock = c.value();
            case SnapshotLine.QueryClock c -> lastQueryClock = c.value();
            case SnapshotLine.Coordinate c -> lastCoordinate = c.text();
            case SnapshotLine.Leave l -> leave();
            case SnapshotLine.Comment c -> {
            }
            case SnapshotLine.Malformed m -> warnings.warn(m.warning());
        }
    }

    private void leave() {
        leaveRecorded = true;
        if (rejoinAfterLeave) {
            logger.log(Level.INFO, "Ignoring previous leave in snapshot");
            return;
        }
        alive.clear();
        aliveText = 0;
        lastClock = 0;
        lastEventClock = 0;
        lastQueryClock = 0;
    }

    private void putAlive(String name, String address) {
        String previous = alive.get(name);
        long growth = address.length() - (previous == null ? -name.length() : previous.length());
        if (aliveText + growth > ALIVE_TEXT_BUDGET) {
            if (!aliveBudgetWarned) {
                aliveBudgetWarned = true;
                warnings.warn("Snapshot holds more alive nodes than the recovery budget; skipping the rest");
            }
            return;
        }
        alive.put(name, address);
        aliveText += growth;
    }

    private void removeAlive(String name) {
        String previous = alive.remove(name);
        if (previous != null) {
            aliveText -= name.length() + previous.length();
        }
    }
}
