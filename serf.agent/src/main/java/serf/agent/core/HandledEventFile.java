package serf.agent.core;

import static java.nio.file.StandardOpenOption.READ;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The layout of {@code <snapshot>.handled}: two fixed-size slots, each able to hold one whole record,
 * written in turn (record number {@code seq} goes to slot {@code seq % 2}); a reader takes the valid
 * slot with the higher number. A write only ever touches the slot that does not hold the newest
 * record, so a process killed at any byte of it leaves that newest record whole: after a crash the
 * file reads as either the record before the interrupted write or the one it wrote, never neither.
 *
 * <p>A slot, big-endian: {@code "SFH2"}, the record number (8 bytes), the floor (8: every user event
 * at or below this Lamport time counts as handled), the number of entries (2, at most
 * {@link #MAX_EVENTS}), that many entries of Lamport time and digest (8 + 8, ascending by time, all
 * above the floor), and a CRC-32 of everything before it (the JDK's
 * native one: the shipped agent runs interpreted). Bytes after the CRC up to the slot's end
 * are leftovers of earlier records and are never read.
 *
 * <p>The format before this one, a single line of up to 20 decimal digits (the floor alone), is still
 * read when neither slot is valid; the first record written after it goes to slot 1, past that line,
 * so that a crash during the conversion still leaves the line readable.
 */
final class HandledEventFile {
    /** Entries a record holds. */
    static final int MAX_EVENTS = 64;
    private static final int MAGIC = 0x53464832; // "SFH2"
    private static final int HEADER = 4 + 8 + 8 + 2;
    private static final int ENTRY = 16;
    /** Room for a full record (1,050 bytes), rounded up. */
    static final int SLOT = 1056;
    /** The old format: 20 digits and a newline. */
    static final int OLD_RECORD = 21;

    private HandledEventFile() {
    }

    /**
     * A record as read back.
     *
     * @param seq    the record's number (0 for the old format)
     * @param floor  user events at or below this Lamport time count as handled
     * @param events handled events above the floor, ascending by Lamport time
     */
    record Contents(long seq, long floor, List<HandledEvent> events) {
        Contents {
            events = List.copyOf(events);
        }
    }

    /** Where record number {@code seq} is written. */
    static long offset(long seq) {
        return (seq & 1) * SLOT;
    }

    /** Bytes an entry takes. */
    static final int ENTRY_BYTES = ENTRY;

    /** Writes entry {@code index} (Lamport time, digest) into an array of entries as a record holds them. */
    static void putEntry(byte[] entries, int index, long lTime, long digest) {
        putLong(entries, index * ENTRY, lTime);
        putLong(entries, index * ENTRY + 8, digest);
    }

    /**
     * Writes a record into {@code out} (at least {@link #SLOT} bytes): the entries are the first
     * {@code count} of {@code entries} (ascending, above {@code floor}, at most {@link #MAX_EVENTS}),
     * copied as they are, so the per-event cost does not grow with the entries (the shipped agent runs
     * interpreted, where only the copy and the CRC are native).
     *
     * @return the record's length
     */
    static int encode(byte[] out, long seq, long floor, byte[] entries, int count) {
        if (count > MAX_EVENTS) {
            throw new IllegalArgumentException("more than " + MAX_EVENTS + " entries");
        }
        putInt(out, 0, MAGIC);
        putLong(out, 4, seq);
        putLong(out, 12, floor);
        out[20] = (byte) (count >>> 8);
        out[21] = (byte) count;
        System.arraycopy(entries, 0, out, HEADER, count * ENTRY);
        int end = HEADER + count * ENTRY;
        CRC32 crc = new CRC32();
        crc.update(out, 0, end);
        putInt(out, end, (int) crc.getValue());
        return end + 4;
    }

    private static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** The slot at {@code at} in {@code file}, if it holds a whole, consistent record. */
    static Optional<Contents> decodeSlot(byte[] file, int at) {
        if (file.length < at + HEADER + 4) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(file, at, file.length - at).slice();
        if (b.getInt() != MAGIC) {
            return Optional.empty();
        }
        long seq = b.getLong();
        long floor = b.getLong();
        int count = Short.toUnsignedInt(b.getShort());
        if (count > MAX_EVENTS || b.remaining() < count * ENTRY + 4) {
            return Optional.empty();
        }
        List<HandledEvent> events = new ArrayList<>(count);
        long previous = floor;
        for (int i = 0; i < count; i++) {
            long t = b.getLong();
            long d = b.getLong();
            if (Long.compareUnsigned(t, previous) < 0 || Long.compareUnsigned(t, floor) <= 0) {
                return Optional.empty();
            }
            previous = t;
            events.add(new HandledEvent(t, d));
        }
        int end = b.position();
        CRC32 crc = new CRC32();
        crc.update(file, at, end);
        if ((int) crc.getValue() != b.getInt()) {
            return Optional.empty();
        }
        return Optional.of(new Contents(seq, floor, events));
    }

    /** What {@code path} holds: the newer valid slot, else the old one-line format; empty when neither. */
    static Optional<Contents> read(Path path, AgentLog log) {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        byte[] bytes;
        try (FileChannel ch = FileChannel.open(path, READ)) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 2L * SLOT));
            while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
                // read on
            }
            bytes = java.util.Arrays.copyOf(buf.array(), buf.position());
        } catch (IOException e) {
            log.log(LogLevel.WARN, "agent: Ignoring unreadable " + path + ": " + e.getMessage());
            return Optional.empty();
        }
        try {
            return Optional.of(decode(bytes));
        } catch (NumberFormatException e) {
            log.log(LogLevel.WARN, "agent: Ignoring unreadable " + path + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The record in a file's bytes: the newer valid slot, else the old one-line format.
     *
     * @throws NumberFormatException when there is neither
     */
    static Contents decode(byte[] bytes) {
        Optional<Contents> a = decodeSlot(bytes, 0);
        Optional<Contents> b = decodeSlot(bytes, SLOT);
        if (a.isPresent() && b.isPresent()) {
            return a.get().seq() >= b.get().seq() ? a.get() : b.get();
        }
        if (a.isPresent() || b.isPresent()) {
            return a.orElseGet(b::get);
        }
        return new Contents(0, oldFormat(bytes), List.of());
    }

    /** The one-line format: digits up to the first newline, within the first 21 bytes. */
    private static long oldFormat(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && end < OLD_RECORD && bytes[end] != '\n') {
            end++;
        }
        if (end == OLD_RECORD || (end == bytes.length && bytes.length > OLD_RECORD)) {
            throw new NumberFormatException("neither slot holds a valid record, nor is it one line of digits");
        }
        return Long.parseUnsignedLong(new String(bytes, 0, end, StandardCharsets.US_ASCII).strip());
    }
}
