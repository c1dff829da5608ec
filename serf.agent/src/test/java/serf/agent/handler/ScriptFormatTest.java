package serf.agent.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import serf.api.Event;
import serf.api.EventType;
import serf.api.Member;
import serf.api.MemberStatus;

class ScriptFormatTest {

    static Member member(String name, String ip, Map<String, String> tags) throws Exception {
        return new Member(name, InetAddress.getByName(ip), 7946, tags, MemberStatus.ALIVE, 1, 5, 2, 2, 5, 5);
    }

    @Test
    void memberLinesAreNameAddrRoleTags() throws Exception {
        byte[] stdin = StdinFormat.members(List.of(
                member("n1", "127.0.0.1", Map.of("role", "web", "dc", "x")),
                member("n\t2\n", "::1", Map.of()),
                member("n3", "2001:db8::1", Map.of("role", "a\tb", "t", "x\ny", "c", "1,2=3")),
                member("n4", "::ffff:10.1.2.3", Map.of("z", ""))));
        assertThat(new String(stdin, StandardCharsets.UTF_8)).isEqualTo(
                "n1\t127.0.0.1\tweb\tdc=x,role=web\n"
                + "n\\t2\\n\t::1\t\t\n"
                + "n3\t2001:db8::1\ta\\tb\tc=1,2=3,role=a\\tb,t=x\\ny\n"
                + "n4\t10.1.2.3\t\tz=\n");
        Member noAddr = new Member("x", null, 0, Map.of(), MemberStatus.ALIVE, 1, 5, 2, 2, 5, 5);
        assertThat(new String(StdinFormat.members(List.of(noAddr)), StandardCharsets.UTF_8)).isEqualTo("x\t<nil>\t\t\n");
        assertThat(StdinFormat.members(List.of())).isEmpty();
    }

    @Test
    void payloadsGetATrailingNewlineWhenMissing() {
        assertThat(StdinFormat.payload(null)).isEmpty();
        assertThat(StdinFormat.payload(new byte[0])).isEmpty();
        assertThat(StdinFormat.payload("v1.2".getBytes())).isEqualTo("v1.2\n".getBytes());
        assertThat(StdinFormat.payload("v1.2\n".getBytes())).isEqualTo("v1.2\n".getBytes());
        assertThat(StdinFormat.payload("a\n\n".getBytes())).isEqualTo("a\n\n".getBytes());
        assertThat(StdinFormat.payload(new byte[] {0, (byte) 0xff})).isEqualTo(new byte[] {0, (byte) 0xff, '\n'});
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "dc|DC", "role|ROLE", "foo-bar.baz|FOO_BAR_BAZ", "a b|A_B", "1x|1X", "under_score|UNDER_SCORE",
            "\u00e9|_", "\u00df|_", "\u017f|S", "\u212a|_", "\u03b1|_", "\uD83D\uDE00x|_X", "Tab\tx|TAB_X", "a=b|A_B",
    })
    void tagNamesAreSanitisedLikeGo(String tag, String variable) {
        assertThat(ScriptEnvironment.tagVariable(tag)).isEqualTo(variable);
    }

    @Test
    void environmentHasGoVariablesInGoOrder() throws Exception {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("role", "web");
        tags.put("foo-bar", "1");
        Member self = member("n1", "127.0.0.1", tags);
        assertThat(ScriptEnvironment.of(new ScriptEvent.User("deploy", 7, "x".getBytes()), self)).containsExactly(
                Map.entry("SERF_EVENT", "user"), Map.entry("SERF_SELF_NAME", "n1"), Map.entry("SERF_SELF_ROLE", "web"),
                Map.entry("SERF_TAG_FOO_BAR", "1"), Map.entry("SERF_TAG_ROLE", "web"),
                Map.entry("SERF_USER_EVENT", "deploy"), Map.entry("SERF_USER_LTIME", "7"));
        assertThat(ScriptEnvironment.of(new ScriptEvent.QueryEvent("load", -1, null, p -> { }), self))
                .containsEntry("SERF_EVENT", "query").containsEntry("SERF_QUERY_NAME", "load")
                .containsEntry("SERF_QUERY_LTIME", "18446744073709551615").doesNotContainKey("SERF_USER_EVENT");
        assertThat(ScriptEnvironment.of(new ScriptEvent.Members("member-leave", List.of()), null)).containsExactly(
                Map.entry("SERF_EVENT", "member-leave"), Map.entry("SERF_SELF_NAME", ""), Map.entry("SERF_SELF_ROLE", ""));
    }

    @Test
    void serfEventsConvert() throws Exception {
        Member m = member("n2", "10.0.0.2", Map.of("role", "db"));
        ScriptEvent join = ScriptEvent.of(new Event.MemberEvent(EventType.MEMBER_JOIN, List.of(m)));
        assertThat(join.type()).isEqualTo("member-join");
        assertThat(join.name()).isEmpty();
        assertThat(join.description()).isEqualTo("member-join");
        assertThat(new String(join.stdin(), StandardCharsets.UTF_8)).isEqualTo("n2\t10.0.0.2\tdb\trole=db\n");
        ScriptEvent user = ScriptEvent.of(new Event.UserEvent(12, "deploy", "v1".getBytes(), true));
        assertThat(user).isInstanceOfSatisfying(ScriptEvent.User.class, u -> {
            assertThat(u.lTime()).isEqualTo(12);
            assertThat(u.payload()).isEqualTo("v1".getBytes());
        });
        assertThat(user.description()).isEqualTo("user-event: deploy");
        assertThat(user.stdin()).isEqualTo("v1\n".getBytes());
        assertThat(ScriptEvent.of(new Event.UserEvent(1, "x", null, false)).stdin()).isEmpty();
        for (EventType t : List.of(EventType.MEMBER_LEAVE, EventType.MEMBER_FAILED, EventType.MEMBER_UPDATE, EventType.MEMBER_REAP)) {
            assertThat(ScriptEvent.of(new Event.MemberEvent(t, List.of())).type()).isEqualTo(t.toString());
        }
        assertThat(new ScriptEvent.QueryEvent("q", 1, null, p -> { }).description()).isEqualTo("query: q");
    }
}
