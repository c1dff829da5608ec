package serf.agent.rpc;

import serf.client.Coordinate;
import serf.client.Member;
import serf.client.internal.*;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import serf.agent.testsupport.Conversation.Part;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/** Test glue: the typed decoder for each kind of object, and encoding any decoded value back. */
final class Codecs {
    private Codecs() {
    }

    static Object decode(Part p, MsgpackReader r) {
        return decoder(p).apply(r);
    }

    static Function<MsgpackReader, Object> decoder(Part p) {
        return switch (p.kind()) {
            case REQUEST_HEADER -> RequestHeader::decode;
            case REQUEST_BODY -> r -> RpcRequest.decode(p.command(), r);
            case RESPONSE_HEADER -> ResponseHeader::decode;
            case RESPONSE_BODY -> r -> RpcResponse.decode(p.command(), r);
            case EVENT_RECORD -> StreamRecord.Event::decode;
            case LOG_RECORD -> StreamRecord.Log::decode;
            case QUERY_RECORD -> StreamRecord.QueryResult::decode;
        };
    }

    /** Every decoder there is: headers, each command's request and response body, each record. */
    static List<Function<MsgpackReader, Object>> allDecoders() {
        List<Function<MsgpackReader, Object>> out = new ArrayList<>();
        out.add(RequestHeader::decode);
        out.add(ResponseHeader::decode);
        out.add(StreamRecord.Event::decode);
        out.add(StreamRecord.Log::decode);
        out.add(StreamRecord.QueryResult::decode);
        out.add(MemberCodec::decode);
        out.add(MemberCodec::decodeCoordinate);
        for (RpcCommand c : RpcCommand.values()) {
            if (c.hasRequestBody()) {
                out.add(r -> RpcRequest.decode(c, r));
            }
            if (c.hasResponseBody()) {
                out.add(r -> RpcResponse.decode(c, r));
            }
        }
        return out;
    }

    static byte[] encode(Object value) {
        MsgpackWriter w = MsgpackWriter.rpc();
        switch (value) {
            case RequestHeader h -> h.encode(w);
            case ResponseHeader h -> h.encode(w);
            case RpcRequest r -> r.encode(w);
            case RpcResponse r -> r.encode(w);
            case StreamRecord s -> s.encode(w);
            case Member m -> MemberCodec.encode(w, m);
            case Coordinate c -> MemberCodec.encode(w, c);
            default -> throw new IllegalArgumentException("not a codec value: " + value);
        }
        return w.toByteArray();
    }
}
