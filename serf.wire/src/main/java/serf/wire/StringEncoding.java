package serf.wire;

/**
 * How a {@link MsgpackWriter} writes Go {@code string} and {@code []byte} values. The two Go handles
 * this project talks to differ only here.
 */
public enum StringEncoding {
    /**
     * go-msgpack's default {@code MsgpackHandle{}}, used by memberlist and Serf gossip: strings and
     * byte slices alike as the old raw family (fixstr, raw16 {@code da}, raw32 {@code db}); never
     * str8 {@code d9}, never bin.
     */
    GOSSIP_RAW,
    /**
     * {@code MsgpackHandle{RawToString:true, WriteExt:true}}, used by the agent RPC: strings as str with
     * the shortest form including str8; byte slices as bin.
     */
    RPC_STR_BIN
}
