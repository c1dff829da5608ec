package serf.hostile;

/**
 * Decompression bombs, built once: LZW of long runs of zero bytes (about 1,400:1, so each fits a
 * datagram). They decode to a ping type byte followed by msgpack nonsense for a ping.
 */
final class Bombs {
    /** 16 MiB out of about 13 KB. */
    static final Bomb MIB_16 = Bomb.ofZeros(16L << 20);
    /** Just under 10 MiB (10.47 MB): a bomb that a 10 MiB cap on decompression still lets through whole. */
    static final Bomb JUST_UNDER_10_MIB = Bomb.ofZeros((10L << 20) - 4096);

    private Bombs() {
    }

    /** An LZW stream and how many bytes it decodes to. */
    record Bomb(byte[] lzw, long expandsTo) {
        static Bomb ofZeros(long count) {
            return new Bomb(LzwEncoder.run(0, count), count);
        }

        @Override
        public String toString() {
            return lzw.length + " B of LZW expanding to " + Summary.mib(expandsTo);
        }
    }
}
