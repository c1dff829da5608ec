package serf.api;

import java.util.LinkedHashMap;
import java.util.Map;
import serf.memberlist.Memberlist;

/** Go's Stats(), every value a string, plus what this node dropped and what memberlist did. */
final class SerfStats {
    private SerfStats() {
    }

    static Map<String, String> collect(MemberTracker members, UserEvents events, Queries queries, SerfBroadcasts broadcasts,
                                       Memberlist memberlist, Coordinates coordinates, DropCounts drops) {
        Map<String, String> out = new LinkedHashMap<>();
        int[] counts = members.counts();
        out.put("members", Integer.toString(counts[0]));
        out.put("failed", Integer.toString(counts[1]));
        out.put("left", Integer.toString(counts[2]));
        out.put("member_flaps", Long.toString(members.flaps()));
        out.put("health_score", Integer.toString(memberlist.healthScore()));
        out.put("member_time", Long.toUnsignedString(members.clock().time()));
        out.put("event_time", Long.toUnsignedString(events.clock().time()));
        out.put("query_time", Long.toUnsignedString(queries.clock().time()));
        out.put("intent_queue", Integer.toString(broadcasts.intentsQueued()));
        out.put("event_queue", Integer.toString(broadcasts.eventsQueued()));
        out.put("query_queue", Integer.toString(broadcasts.queriesQueued()));
        out.put("encrypted", Boolean.toString(memberlist.encryptionEnabled()));
        if (coordinates != null) {
            out.put("coordinate_resets", Long.toString(coordinates.resets()));
        }
        drops.asMap().forEach((k, v) -> out.put(k, Long.toString(v)));
        // What memberlist dropped or refused, and its input budget (shared by the nodes of a process).
        memberlist.stats().asMap().forEach((k, v) -> out.put("memberlist_" + k, Long.toString(v)));
        return out;
    }
}
