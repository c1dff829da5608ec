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
import java.util.zip.CRC32C;

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
 * above the floor), and a CRC-32C of everything before it. Bytes after the CRC up to the slot's end
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

    /** The bytes of a record; {@code events} ascending, above {@code floor}, at most {@link #MAX_EVENTS}. */
    static byte[] encode(long seq, long floor, long[] times, long[] digests, int count) {
        if (count > MAX_EVENTS) {
            throw new IllegalArgumentException("more than " + MAX_EVENTS + " entries");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + count * ENTRY + 4);
        b.putInt(MAGIC).putLong(seq).putLong(floor).putShort((short) count);
        for (int i = 0; i < count; i++) {
            b.putLong(times[i]).putLong(digests[i]);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
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
        CRC32C crc = new CRC32C();
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
