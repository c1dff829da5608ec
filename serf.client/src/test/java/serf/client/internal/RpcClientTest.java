package serf.client.internal;

import serf.client.Coordinate;
import serf.client.Member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/** The client's demultiplexing against a scripted agent on 127.0.0.1. */
class RpcClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ServerSocket server;
    private Socket agent;
    private FrameReader in;
    private OutputStream out;
    private RpcChannel client;

    record Request(RequestHeader header, RpcRequest body) {
    }

    @BeforeEach
    void connect() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        server.setSoTimeout((int) WAIT.toMillis());
        CompletableFuture<RpcChannel> c = CompletableFuture.supplyAsync(() -> {
            try {
                return RpcChannel.connect("127.0.0.1:" + server.getLocalPort(), "");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        agent = server.accept();
        agent.setSoTimeout((int) WAIT.toMillis());
        in = new FrameReader(agent.getInputStream());
        out = agent.getOutputStream();
        Request hs = read();
        assertThat(hs.header()).isEqualTo(new RequestHeader("handshake", 1));
        assertThat(hs.body()).isEqualTo(new RpcRequest.Handshake(1));
        reply(ResponseHeader.ok(1), null);
        client = c.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void close() throws IOException {
        if (client != null) {
            client.close();
        }
        if (agent != null) {
            agent.close();
        }
        server.close();
    }

    private Request read() throws IOException {
        RequestHeader h = RequestHeader.decode(new MsgpackReader(in.next()));
        RpcCommand cmd = RpcCommand.fromWireName(h.command()).orElseThrow();
        RpcRequest body = cmd.hasRequestBody() ? RpcRequest.decode(cmd, new MsgpackReader(in.next()))
                : RpcRequest.decode(cmd, new MsgpackReader(new byte[0]));
        return new Request(h, body);
    }

    /** Header and body in one write, as the agent does. */
    private void reply(ResponseHeader h, Object body) throws IOException {
        MsgpackWriter w = MsgpackWriter.rpc();
        h.encode(w);
        if (body instanceof RpcResponse r) {
            r.encode(w);
        } else if (body instanceof StreamRecord r) {
            r.encode(w);
        }
        out.write(w.toByteArray());
        out.flush();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static <T> CompletableFuture<T> async(IoCall<T> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    @FunctionalInterface
    interface IoCall<T> {
        T call() throws IOException;
    }

    private static Member member(String name) {
        return new Member(name, new byte[] {127, 0, 0, 1}, 7946, Map.of(), "alive", 1, 5, 2, 2, 5, 5);
    }

    @Test
    void responsesAreMatchedBySeqWhateverTheirOrder() throws Exception {
        CompletableFuture<List<Member>> members = async(client::members);
        Request r1 = read();
        CompletableFuture<Map<String, Map<String, String>>> stats = async(client::stats);
        Request r2 = read();
        assertThat(List.of(r1.header().command(), r2.header().command())).containsExactly("members", "stats");
        reply(ResponseHeader.ok(r2.header().seq()), new RpcResponse.Stats(Map.of("agent", Map.of("name", "x"))));
        reply(ResponseHeader.ok(r1.header().seq()), new RpcResponse.Members(List.of(member("a"))));
        assertThat(await(stats)).containsEntry("agent", Map.of("name", "x"));
        assertThat(await(members)).containsExactly(member("a"));
    }

    @Test
    void manyConcurrentCallersEachGetTheirOwnAnswer() throws Exception {
        int n = 40;
        List<CompletableFuture<java.util.Optional<Coordinate>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String node = "node" + i;
            calls.add(async(() -> client.getCoordinate(node)));
        }
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(read());
        }
        Collections.shuffle(requests, new java.util.Random(3));
        for (Request r : requests) {
            String node = ((RpcRequest.GetCoordinate) r.body()).node();
            double h = Double.parseDouble(node.substring(4));
            reply(ResponseHeader.ok(r.header().seq()), new RpcResponse.GetCoordinate(new Coordinate(List.of(0.0), 0, 0, h), true));
        }
        for (int i = 0; i < n; i++) {
            assertThat(await(calls.get(i))).get().extracting(Coordinate::height).isEqualTo((double) i);
        }
    }

    @Test
    void errorsCarryTheAgentsTextAndTheBodyWhenThereIsOne() throws Exception {
        CompletableFuture<RpcResponse.Keys> keys = async(client::listKeys);
        Request r = read();
        RpcResponse.Keys body = new RpcResponse.Keys(Map.of("n1", "Keyring is empty (encryption not enabled)"), Map.of(), 1, 1, 1);
        reply(new ResponseHeader("1/1 nodes reported failure", r.header().seq()), body);
        assertThatThrownBy(() -> await(keys)).cause().isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("1/1 nodes reported failure");
            assertThat(e.body()).contains(body);
        });
        // Still in step: the next call works.
        CompletableFuture<Void> ev = async(() -> {
            client.userEvent("e", null, true);
            return null;
        });
        Request r2 = read();
        assertThat(r2.body()).isEqualTo(new RpcRequest.Event("e", null, true));
        reply(ResponseHeader.ok(r2.header().seq()), null);
        await(ev);
    }

    @Test
    void authenticationRequiredHasNoBody() throws Exception {
        CompletableFuture<List<Member>> members = async(client::members);
        Request r = read();
        reply(new ResponseHeader("Authentication required", r.header().seq()), null);
        assertThatThrownBy(() -> await(members)).cause().isInstanceOf(RpcException.class)
                .hasMessage("Authentication required");
        CompletableFuture<List<Member>> again = async(client::members);
        Request r2 = read();
        reply(ResponseHeader.ok(r2.header().seq()), new RpcResponse.Members(null));
        assertThat(await(again)).isEmpty();
    }

    @Test
    void streamRecordsInterleaveWithCallsAndLateRecordsAfterStopAreSkipped() throws Exception {
        List<StreamRecord.Event> got = new CopyOnWriteArrayList<>();
        CompletableFuture<RpcStream> opened = async(() -> client.stream("*", got::add));
        Request open = read();
        assertThat(open.body()).isEqualTo(new RpcRequest.Stream("*"));
        long seq = open.header().seq();
        reply(ResponseHeader.ok(seq), null);
        RpcStream stream = await(opened);
        var e1 = new StreamRecord.UserEvent(1, "a", "x".getBytes(StandardCharsets.UTF_8), true);
        reply(ResponseHeader.ok(seq), e1);
        CompletableFuture<List<Member>> members = async(client::members);
        Request m = read();
        var e2 = new StreamRecord.MemberEvent("member-join", List.of(member("b")));
        reply(ResponseHeader.ok(seq), e2);
        reply(ResponseHeader.ok(m.header().seq()), new RpcResponse.Members(List.of(member("b"))));
        reply(ResponseHeader.ok(seq), new StreamRecord.QueryEvent(7, 2, "q", null));
        assertThat(await(members)).hasSize(1);
        serf.testkit.Poll.until("three events streamed", WAIT, () -> got.size() == 3);
        assertThat(got.get(0)).isEqualTo(e1);
        assertThat(got.get(1)).isEqualTo(e2);
        assertThat(got.get(2)).isEqualTo(new StreamRecord.QueryEvent(7, 2, "q", null));

        CompletableFuture<Void> stop = async(() -> {
            stream.stop();
            return null;
        });
        Request s = read();
        assertThat(s.body()).isEqualTo(new RpcRequest.Stop(seq));
        reply(ResponseHeader.ok(seq), e1); // raced past the stop: its body must be skipped
        reply(ResponseHeader.ok(s.header().seq()), null);
        await(stop);
        assertThat(stream.awaitDone(WAIT)).isTrue();
        assertThat(stream.stoppedLocally()).isTrue();
        assertThat(got).hasSize(3);
        CompletableFuture<Map<String, Map<String, String>>> stats = async(client::stats);
        Request st = read();
        reply(ResponseHeader.ok(st.header().seq()), new RpcResponse.Stats(Map.of()));
        assertThat(await(stats)).isEmpty();
    }

    @Test
    void aQueryEndsWithItsDoneRecord() throws Exception {
        List<StreamRecord.QueryResult> got = new CopyOnWriteArrayList<>();
        RpcRequest.Query q = new RpcRequest.Query(null, Map.of(), true, 0, 0, "load", null);
        CompletableFuture<RpcStream> opened = async(() -> client.query(q, got::add));
        Request r = read();
        assertThat(r.body()).isEqualTo(q);
        long seq = r.header().seq();
        reply(ResponseHeader.ok(seq), null);
        RpcStream stream = await(opened);
        reply(ResponseHeader.ok(seq), StreamRecord.QueryResult.ack("n1"));
        reply(ResponseHeader.ok(seq), StreamRecord.QueryResult.response("n1", "r".getBytes(StandardCharsets.UTF_8)));
        reply(ResponseHeader.ok(seq), StreamRecord.QueryResult.done());
        assertThat(stream.awaitDone(WAIT)).isTrue();
        assertThat(stream.stoppedLocally()).isFalse();
        assertThat(got).containsExactly(StreamRecord.QueryResult.ack("n1"),
                StreamRecord.QueryResult.response("n1", "r".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRefusedStreamReportsTheAgentsError() throws Exception {
        CompletableFuture<RpcStream> opened = async(() -> client.monitor("bogus", line -> { }));
        Request r = read();
        reply(new ResponseHeader("Unknown log level: BOGUS", r.header().seq()), null);
        assertThatThrownBy(() -> await(opened)).cause().isInstanceOf(RpcException.class).hasMessage("Unknown log level: BOGUS");
    }

    @Test
    void aLostConnectionFailsPendingCallsAndEndsStreams() throws Exception {
        List<String> logs = new CopyOnWriteArrayList<>();
        CompletableFuture<RpcStream> opened = async(() -> client.monitor("INFO", logs::add));
        Request r = read();
        reply(ResponseHeader.ok(r.header().seq()), null);
        RpcStream monitor = await(opened);
        reply(ResponseHeader.ok(r.header().seq()), new StreamRecord.Log("line 1"));
        CompletableFuture<Void> leave = async(() -> {
            client.leave();
            return null;
        });
        read();
        agent.close();
        assertThatThrownBy(() -> await(leave)).cause().isInstanceOf(IOException.class).hasMessage("client closed");
        assertThat(monitor.awaitDone(WAIT)).isTrue();
        assertThat(logs).containsExactly("line 1");
        assertThat(monitor.stoppedLocally()).isFalse();
        serf.testkit.Poll.until("the client closed", WAIT, client::isClosed);
        assertThatThrownBy(client::stats).isInstanceOf(IOException.class).hasMessage("client closed");
    }

    @Test
    void streamingCommandsCannotBeCalledAsPlainRequests() {
        assertThatThrownBy(() -> client.call(new RpcRequest.Stream("*"))).isInstanceOf(IllegalArgumentException.class);
    }

}
