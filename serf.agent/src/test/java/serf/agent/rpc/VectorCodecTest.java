package serf.agent.rpc;

import serf.client.Coordinate;
import serf.client.Member;
import serf.client.internal.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import serf.agent.testsupport.AgentVectors;
import serf.agent.testsupport.AgentVectors.Vector;
import serf.agent.testsupport.Conversation;
import serf.agent.testsupport.Conversation.Kind;
import serf.agent.testsupport.Conversation.Part;
import serf.wire.MsgpackReader;

/** Every object of every captured conversation, through the typed codecs and back to Go's bytes. */
class VectorCodecTest {

    static List<Vector> vectors() {
        return AgentVectors.all();
    }

    @Test
    void allVectorFilesAreThere() {
        assertThat(vectors()).hasSizeGreaterThanOrEqualTo(34);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everyObjectDecodesToItsRenderingAndReencodesToTheSameBytes(Vector v) {
        List<Part> parts = Conversation.all(v);
        assertThat(parts).as("every captured object is accounted for").hasSize(v.c2s().size() + v.s2c().size());
        for (Part p : parts) {
            MsgpackReader r = new MsgpackReader(p.obj().bytes());
            Object typed = Codecs.decode(p, r);
            r.expectEnd();
            byte[] again = Codecs.encode(typed);
            Object rendered = AgentVectors.render(new MsgpackReader(again).readValue());
            assertThat(rendered).as("%s %s %s", v, p.kind(), typed).isEqualTo(p.obj().decoded());
            // Struct fields in sorted order and Go maps in their (random) wire order give the same bytes
            // (the Python client's requests happen to use the same encoding choices).
            assertThat(HexFormat.of().formatHex(again)).as("%s %s", v, p.kind())
                    .isEqualTo(HexFormat.of().formatHex(p.obj().bytes()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void goClientRequestsReencodeToTheWholeCapturedStream(Vector v) {
        if (!v.fromGoCli()) {
            return;
        }
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (Part p : Conversation.c2s(v)) {
            all.writeBytes(Codecs.encode(Codecs.decode(p, new MsgpackReader(p.obj().bytes()))));
        }
        assertThat(HexFormat.of().formatHex(all.toByteArray())).isEqualTo(HexFormat.of().formatHex(v.c2sAll()));
    }

    private static Object body(String vector, Kind kind, long seq) {
        for (Part p : Conversation.all(AgentVectors.load(vector))) {
            if (p.kind() == kind && p.seq() == seq) {
                return Codecs.decode(p, new MsgpackReader(p.obj().bytes()));
            }
        }
        throw new AssertionError("no " + kind + " for seq " + seq + " in " + vector);
    }

    @Test
    void membersDecodeToTypedValues() {
        var resp = (RpcResponse.Members) body("members_filtered", Kind.RESPONSE_BODY, 2);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("dc", "x");
        tags.put("role", "web");
        assertThat(resp.members()).hasSize(2);
        assertThat(resp.members().get(0)).isEqualTo(new Member("n1", new byte[] {127, 0, 0, 1}, 17946, tags, "alive",
                1, 5, 2, 2, 5, 5));
        assertThat(resp.members().get(1).tags()).containsExactly(Map.entry("role", "db"));
        assertThat(body("members_filtered", Kind.REQUEST_BODY, 2))
                .isEqualTo(new RpcRequest.MembersFiltered(Map.of(), "", ""));
        assertThat(body("members_filtered_tag_status", Kind.REQUEST_BODY, 2))
                .isEqualTo(new RpcRequest.MembersFiltered(Map.of("role", "web"), "alive", ""));
    }

    @Test
    void queryRequestsAndRecordsDecodeToTypedValues() {
        assertThat(body("query_stream", Kind.REQUEST_BODY, 2)).isEqualTo(new RpcRequest.Query(null, Map.of(), true, 0,
                2_000_000_000L, "load", "hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(body("query_filters_noack", Kind.REQUEST_BODY, 2)).isEqualTo(new RpcRequest.Query(
                List.of("n1", "n2"), Map.of("role", "web"), false, 2, 1_000_000_000L, "load", null));
        assertThat(body("reachability_members_ping", Kind.REQUEST_BODY, 3))
                .isEqualTo(new RpcRequest.Query(null, null, true, 0, 0, "_serf_ping", null));
        assertThat(body("query_stream", Kind.QUERY_RECORD, 2)).isEqualTo(StreamRecord.QueryResult.ack("n1"));
        assertThat(body("respond_ok", Kind.REQUEST_BODY, 6))
                .isEqualTo(new RpcRequest.Respond(1, "answer-from-rpc".getBytes(StandardCharsets.UTF_8)));
        assertThat(body("respond_ok", Kind.EVENT_RECORD, 5))
                .isEqualTo(new StreamRecord.QueryEvent(1, 4, "other", "pp".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eventRecordsDecodeByTheirEventField() {
        assertThat(body("stream_member_events", Kind.EVENT_RECORD, 2))
                .isEqualTo(new StreamRecord.UserEvent(6, "nopay", null, true));
        var joins = Conversation.all(AgentVectors.load("stream_member_events")).stream()
                .filter(p -> p.kind() == Kind.EVENT_RECORD)
                .map(p -> StreamRecord.Event.decode(new MsgpackReader(p.obj().bytes())))
                .filter(e -> e instanceof StreamRecord.MemberEvent).map(e -> (StreamRecord.MemberEvent) e).toList();
        assertThat(joins).extracting(StreamRecord.MemberEvent::event)
                .containsExactly("member-join", "member-update", "member-leave", "member-update");
        assertThat(joins.get(0).members().get(0).name()).isEqualTo("tmp3");
        assertThat(joins.get(2).members().get(0).status()).isEqualTo("left");
        assertThat(body("monitor_and_stream", Kind.LOG_RECORD, 3))
                .isEqualTo(new StreamRecord.Log("2026/11/26 05:41:34 [INFO] agent: Serf agent starting"));
    }

    @Test
    void keyAndCoordinateResponsesKeepNilAndErrorBodies() {
        assertThat(body("install_key", Kind.RESPONSE_BODY, 3)).isEqualTo(new RpcResponse.Keys(Map.of(), null, 2, 0, 2));
        var failed = (RpcResponse.Keys) body("list_keys_unencrypted", Kind.RESPONSE_BODY, 2);
        assertThat(failed.keys()).isEmpty();
        assertThat(failed.messages()).containsEntry("n1", "Keyring is empty (encryption not enabled)").hasSize(2);
        assertThat(failed.numErr()).isEqualTo(2);
        var unknown = (RpcResponse.GetCoordinate) body("rtt_unknown_node", Kind.RESPONSE_BODY, 3);
        assertThat(unknown.ok()).isFalse();
        assertThat(unknown.coord()).isEqualTo(Coordinate.ZERO);
        assertThat(unknown.coord().vec()).isNull();
        var known = (RpcResponse.GetCoordinate) body("get_coordinate", Kind.RESPONSE_BODY, 2);
        assertThat(known.ok()).isTrue();
        assertThat(known.coord().vec()).hasSize(8);
        assertThat(body("join_fail", Kind.RESPONSE_BODY, 2)).isEqualTo(new RpcResponse.Join(0));
        assertThat(body("err_handshake_versions", Kind.REQUEST_BODY, 1)).isEqualTo(new RpcRequest.Handshake(2));
    }

    @Test
    void statsKeepsEveryValueAsAString() {
        var stats = (RpcResponse.Stats) body("stats", Kind.RESPONSE_BODY, 2);
        assertThat(stats.stats()).containsKeys("agent", "runtime", "serf", "tags", "event_handlers");
        assertThat(stats.stats().get("serf")).hasSize(12).containsEntry("encrypted", "false");
        assertThat(stats.stats().get("agent")).containsExactly(Map.entry("name", "n1"));
    }
}
