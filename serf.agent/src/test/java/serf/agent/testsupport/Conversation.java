package serf.agent.testsupport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import serf.client.internal.RequestHeader;
import serf.client.internal.ResponseHeader;
import serf.client.internal.RpcCommand;
import serf.agent.testsupport.AgentVectors.Obj;
import serf.agent.testsupport.AgentVectors.Vector;
import serf.wire.MsgpackReader;

/**
 * Tells what each object of a captured conversation is (header, body, record) from the protocol's
 * framing rules, as a client or agent must: request bodies follow the commands that take one;
 * response bodies follow the commands that return one unless the header reports
 * {@code Authentication required} (or an error after which the agent hangs up); streams answer
 * with one body-less header, then records of header + body, and an error header never has a body.
 */
public final class Conversation {
    private Conversation() {
    }

    public enum Kind {
        REQUEST_HEADER, REQUEST_BODY, RESPONSE_HEADER, RESPONSE_BODY, EVENT_RECORD, LOG_RECORD, QUERY_RECORD
    }

    /** One object with its role; {@code command} is null for a header of an unknown command. */
    public record Part(Kind kind, RpcCommand command, long seq, Obj obj) {
    }

    /** A header and, when it has one, its body: what one write of the agent sends. */
    public record Message(long seq, Part header, Part body) {
        public byte[] bytes() {
            byte[] h = header.obj().bytes();
            if (body == null) {
                return h;
            }
            byte[] out = java.util.Arrays.copyOf(h, h.length + body.obj().bytes().length);
            System.arraycopy(body.obj().bytes(), 0, out, h.length, body.obj().bytes().length);
            return out;
        }
    }

    /** Client-to-agent parts. */
    public static List<Part> c2s(Vector v) {
        List<Part> out = new ArrayList<>();
        List<Obj> objs = v.c2s();
        for (int i = 0; i < objs.size(); i++) {
            RequestHeader h = RequestHeader.decode(new MsgpackReader(objs.get(i).bytes()));
            RpcCommand cmd = RpcCommand.fromWireName(h.command()).orElse(null);
            out.add(new Part(Kind.REQUEST_HEADER, cmd, h.seq(), objs.get(i)));
            if (cmd != null && cmd.hasRequestBody() && i + 1 < objs.size()) {
                out.add(new Part(Kind.REQUEST_BODY, cmd, h.seq(), objs.get(++i)));
            }
        }
        return out;
    }

    /** Agent-to-client messages (header + optional body), in wire order. */
    public static List<Message> s2c(Vector v) {
        Map<Long, RpcCommand> commands = new HashMap<>();
        for (Part p : c2s(v)) {
            if (p.kind() == Kind.REQUEST_HEADER && p.command() != null) {
                commands.put(p.seq(), p.command());
            }
        }
        Set<Long> opened = new HashSet<>();
        List<Message> out = new ArrayList<>();
        List<Obj> objs = v.s2c();
        for (int i = 0; i < objs.size(); i++) {
            ResponseHeader h = ResponseHeader.decode(new MsgpackReader(objs.get(i).bytes()));
            RpcCommand cmd = commands.get(h.seq());
            Part header = new Part(Kind.RESPONSE_HEADER, cmd, h.seq(), objs.get(i));
            Kind bodyKind = null;
            if (cmd != null && cmd.isStreaming()) {
                if (!h.isError() && !opened.add(h.seq())) {
                    bodyKind = switch (cmd) {
                        case STREAM -> Kind.EVENT_RECORD;
                        case MONITOR -> Kind.LOG_RECORD;
                        default -> Kind.QUERY_RECORD;
                    };
                }
            } else if (cmd != null && cmd.hasResponseBody() && !noBody(h.error())) {
                bodyKind = Kind.RESPONSE_BODY;
            }
            Part body = null;
            if (bodyKind != null) {
                body = new Part(bodyKind, cmd, h.seq(), objs.get(++i));
            }
            out.add(new Message(h.seq(), header, body));
        }
        return out;
    }

    /** Errors after which the agent sends no body. */
    private static boolean noBody(String error) {
        return error.equals("Authentication required") || error.equals("Handshake required")
                || error.equals("Unsupported command");
    }

    /** Every part of both directions. */
    public static List<Part> all(Vector v) {
        List<Part> out = new ArrayList<>(c2s(v));
        for (Message m : s2c(v)) {
            out.add(m.header());
            if (m.body() != null) {
                out.add(m.body());
            }
        }
        return out;
    }
}
