/**
 * memberlist's wire format (docs/protocol/memberlist-wire.md §0-§4), byte-compatible with Go memberlist 0.2.2.
 *
 * <ul>
 *   <li>{@link serf.memberlist.internal.msg.Message}: the messages, as records.</li>
 *   <li>{@link serf.memberlist.internal.msg.MessageCodec}: one message, type byte + msgpack body.</li>
 *   <li>{@link serf.memberlist.internal.msg.PacketCodec}: UDP framing. Send: message or
 *       {@code compound} → {@code seal} (LZW if shorter → CRC → encrypt → label). Receive:
 *       {@code open} (label → decrypt) → {@code decode} (CRC → compound/compress, recursively).</li>
 *   <li>{@link serf.memberlist.internal.msg.StreamCodec}: TCP framing, one message per direction
 *       (label → LZW always when enabled → {@code 0a | len | blob}).</li>
 *   <li>{@link serf.memberlist.internal.msg.Lzw}: Go's {@code compress/lzw}, LSB, 8-bit literals.</li>
 * </ul>
 *
 * Decoders raise only {@link serf.wire.DecodeException} for malformed input (streams also
 * {@link serf.memberlist.internal.msg.StreamRejectedException} and {@link java.io.IOException});
 * encoders refuse with {@link java.lang.IllegalArgumentException} anything that would crash a Go
 * 0.2.2 peer. All classes are stateless and thread-safe.
 */
package serf.memberlist.internal.msg;
