package serf.client.internal;

import serf.client.Coordinate;
import serf.client.Member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import serf.wire.DecodeException;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/** The decoders accept what go-msgpack (RawToString) accepts, and refuse what it refuses. */
class DecoderLeniencyTest {

    private static MsgpackReader hex(String h) {
        return new MsgpackReader(HexFormat.of().parseHex(h.replace(" ", "")));
    }

    private static MsgpackWriter w() {
        return MsgpackWriter.rpc();
    }

    private static MsgpackReader r(MsgpackWriter w) {
        return new MsgpackReader(w.toByteArray());
    }

    @Test
    void stringsMayComeAsBinAndBytesAsStr() {
        MsgpackWriter w = w();
        w.writeMapHeader(3);
        w.writeKey("Name").writeBin("deploy".getBytes(StandardCharsets.UTF_8));
        w.writeKey("Payload").writeStr("v1".getBytes(StandardCharsets.UTF_8));
        w.writeKey("Coalesce").writeBool(true);
        assertThat(RpcRequest.decode(RpcCommand.EVENT, r(w)))
                .isEqualTo(new RpcRequest.Event("deploy", "v1".getBytes(StandardCharsets.UTF_8), true));
    }

    @Test
    void anyIntegerWidthAndSignedFormsForUnsignedFields() {
        // {Command:"members", Seq: cf 0000000000000007}
        assertThat(RequestHeader.decode(hex("82 a7436f6d6d616e64 a76d656d62657273 a3536571 cf0000000000000007")))
                .isEqualTo(new RequestHeader("members", 7));
        // Seq as int8 d0 05, Version as int32 d2 00000001
        assertThat(ResponseHeader.decode(hex("82 a3536571 d005 a54572726f72 a0"))).isEqualTo(ResponseHeader.ok(5));
        assertThat(RpcRequest.decode(RpcCommand.HANDSHAKE, hex("81 a756657273696f6e d200000001")))
                .isEqualTo(new RpcRequest.Handshake(1));
        // uint64 above Long.MAX_VALUE survives as its bits
        MsgpackWriter w = w();
        new RequestHeader("stop", -1L).encode(w);
        assertThat(RequestHeader.decode(r(w)).seq()).isEqualTo(-1L);
    }

    @Test
    void negativeOrOverflowingIntegersAreRefused() {
        assertThatThrownBy(() -> ResponseHeader.decode(hex("82 a3536571 ff a54572726f72 a0")))
                .isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> RpcRequest.decode(RpcCommand.HANDSHAKE, hex("81 a756657273696f6e ce80000000")))
                .isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> RpcRequest.decode(RpcCommand.QUERY, hex("81 ab52656c6179466163746f72 cd0100")))
                .isInstanceOf(DecodeException.class);
    }

    @Test
    void nilMapsSlicesBytesAndStructs() {
        assertThat(RpcRequest.decode(RpcCommand.MEMBERS_FILTERED, hex("83 a44e616d65 c0 a6537461747573 c0 a454616773 c0")))
                .isEqualTo(new RpcRequest.MembersFiltered(null, "", ""));
        assertThat(RpcRequest.decode(RpcCommand.JOIN, hex("c0"))).isEqualTo(new RpcRequest.Join(null, false));
        // {Coord: nil, Ok: true}
        assertThat(RpcResponse.decode(RpcCommand.GET_COORDINATE, hex("82 a5436f6f7264 c0 a24f6b c3")))
                .isEqualTo(new RpcResponse.GetCoordinate(Coordinate.ZERO, true));
        assertThat(RpcResponse.decode(RpcCommand.STATS, hex("c0"))).isEqualTo(new RpcResponse.Stats(null));
    }

    @Test
    void unknownKeysAreSkippedAndMissingKeysAreZero() {
        // {Extra: [1, {a: b}], Node: "x"}
        assertThat(RpcRequest.decode(RpcCommand.FORCE_LEAVE, hex("82 a54578747261 92 01 81 a161 a162 a44e6f6465 a178")))
                .isEqualTo(new RpcRequest.ForceLeave("x", false));
        assertThat(RpcRequest.decode(RpcCommand.QUERY, hex("80")))
                .isEqualTo(new RpcRequest.Query(null, null, false, 0, 0, "", null));
    }

    @Test
    void keysAreMatchedCaseSensitively() {
        assertThat(RpcRequest.decode(RpcCommand.FORCE_LEAVE, hex("81 a46e6f6465 a178")))
                .isEqualTo(new RpcRequest.ForceLeave("", false));
    }

    @Test
    void structsMayArriveAsArraysInGoDeclarationOrder() {
        // responseHeader{Seq, Error} as [3, "boom"]
        assertThat(ResponseHeader.decode(hex("92 03 a4626f6f6d"))).isEqualTo(new ResponseHeader("boom", 3));
        // eventRequest{Name, Payload, Coalesce} as ["n", bin "p", true, extra]
        assertThat(RpcRequest.decode(RpcCommand.EVENT, hex("94 a16e c40170 c3 01")))
                .isEqualTo(new RpcRequest.Event("n", new byte[] {'p'}, true));
    }

    @Test
    void headerFieldsMissingFromAMapKeepThePreviousHeadersValues() {
        RequestHeader previous = new RequestHeader("members-filtered", 2);
        // The body {Name:"", Status:"", Tags:{}} read as a header, as the Go agent does after "Authentication required".
        assertThat(RequestHeader.decode(hex("83a44e616d65a0a6537461747573a0a45461677380"), previous)).isEqualTo(previous);
        assertThat(RequestHeader.decode(hex("81 a3536571 05"), previous)).isEqualTo(new RequestHeader("members-filtered", 5));
    }

    @Test
    void wrongTypesAreDecodeExceptions() {
        assertThatThrownBy(() -> RequestHeader.decode(hex("a3616263"))).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> RpcRequest.decode(RpcCommand.JOIN, hex("81 a84578697374696e67 a161")))
                .isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> RpcResponse.decode(RpcCommand.LIST_KEYS, hex("81 a44b657973 81 a16b a176")))
                .isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> StreamRecord.Event.decode(hex("81 a54576656e74")))
                .isInstanceOf(DecodeException.class);
    }

    @Test
    void encodersWriteEveryFieldSortedWithNils() {
        MsgpackWriter w = w();
        new RpcRequest.Query(null, Map.of(), true, 0, 2_000_000_000L, "load", "hello".getBytes(StandardCharsets.UTF_8)).encode(w);
        assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo(
                "87ab46696c7465724e6f646573c0aa46696c7465725461677380a44e616d65a46c6f6164a75061796c6f6164c40568656c6c6f"
                        + "ab52656c6179466163746f7200aa5265717565737441636bc3a754696d656f7574ce77359400");
        w = w();
        new RpcRequest.Tags(null, List.of()).encode(w);
        assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo("82aa44656c65746554616773 90 a454616773 c0".replace(" ", ""));
        w = w();
        ResponseHeader.ok(1).encode(w);
        assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo("82a54572726f72a0a353657101");
    }

    @Test
    void commandsKnowTheirFraming() {
        assertThat(RpcCommand.fromWireName("members-filtered")).contains(RpcCommand.MEMBERS_FILTERED);
        assertThat(RpcCommand.fromWireName("Members")).isEmpty();
        assertThat(RpcCommand.values()).filteredOn(c -> !c.hasRequestBody())
                .containsExactlyInAnyOrder(RpcCommand.MEMBERS, RpcCommand.LEAVE, RpcCommand.LIST_KEYS, RpcCommand.STATS);
        assertThat(RpcCommand.values()).filteredOn(RpcCommand::isStreaming)
                .containsExactlyInAnyOrder(RpcCommand.STREAM, RpcCommand.MONITOR, RpcCommand.QUERY);
        assertThat(RpcCommand.values()).hasSize(20);
    }

    @Test
    void coordinateDistanceMatchesGo() {
        Coordinate a = new Coordinate(List.of(0.001, 0.0), 0.1, 0.0002, 0.00005);
        Coordinate b = new Coordinate(List.of(0.0, 0.0), 0.1, -0.0001, 0.00005);
        // 1 ms apart + heights 0.1 ms + adjustments 0.1 ms
        assertThat(a.distanceSeconds(b)).isEqualTo(0.0012);
        Coordinate far = new Coordinate(List.of(0.0, 0.0), 0, -1.0, 0);
        assertThat(far.distanceSeconds(b)).as("non-positive adjusted distance keeps the raw one").isEqualTo(0.00005);
        assertThatThrownBy(() -> a.distanceSeconds(new Coordinate(List.of(1.0), 0, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
