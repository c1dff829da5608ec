package serf.agent.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventScriptTest {

    private static String render(List<EventScript> scripts) {
        return String.join(" ; ", scripts.stream().map(s -> s.filter().event() + "|" + s.filter().name() + "|"
                + s.script() + "|" + s.valid()).toList());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '!', quoteCharacter = '`', value = {
            "script.sh!*||script.sh|true",
            "member-join=script.sh!member-join||script.sh|true",
            "user:deploy=script.sh!user|deploy|script.sh|true",
            "query:load=script.sh!query|load|script.sh|true",
            "member-join,member-leave=x.sh!member-join||x.sh|true ; member-leave||x.sh|true",
            "user=!user|||true",
            "query=q.sh!query||q.sh|true",
            "*=cmd a=b!*||cmd a=b|true",
            "cmd a=b!cmd a||b|false",
            "=x.sh!*||x.sh|true",
            "user:=x!user||x|true",
            "user,user:deploy=x!user||x|true ; user|deploy|x|true",
            "member-foo=x.sh!member-foo||x.sh|false",
            "a,,b=x!a||x|false ; ||x|false ; b||x|false",
            "member-join,=x!member-join||x|true ; ||x|false",
            "Member-Join=x!Member-Join||x|false",
            "user:a:b=x!user|a:b|x|true",
            "member-reap,member-failed,member-update=x!member-reap||x|true ; member-failed||x|true ; member-update||x|true",
            "`/usr/bin/env FOO=1 sh`!/usr/bin/env FOO||1 sh|false",
            "``!*|||true",
    })
    void parsesLikeGo(String spec, String expected) {
        assertThat(render(EventScript.parse(spec))).isEqualTo(expected);
    }

    @Test
    void textsMatchGo() {
        assertThat(EventScript.parse("member-foo=x.sh").get(0)).hasToString("Event 'member-foo' invoking 'x.sh'");
        assertThat(EventScript.parse("user:deploy=d.sh").get(0)).hasToString("Event 'user:deploy' invoking 'd.sh'");
        assertThat(EventScript.parse("h.sh").get(0).filter().statsKey()).isEqualTo("*:");
        assertThat(EventScript.parse("user:deploy=d.sh").get(0).filter().statsKey()).isEqualTo("user:deploy");
        assertThat(EventScript.parseAll(List.of("a.sh", "user,query=b.sh"))).hasSize(3);
    }

    @ParameterizedTest(name = "[{index}] {0} {1}:{2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "*|member-join||true", "*|user|x|true", "*|query|y|true",
            "member-join|member-join||true", "member-join|member-leave||false", "member-join|user||false",
            "user|user|deploy|true", "user:deploy|user|deploy|true", "user:deploy|user|deploy2|false",
            "user:deploy|user|Deploy|false", "user:deploy|query|deploy|false", "user|query|x|false",
            "query|query|load|true", "query:load|query|load|true", "query:load|query|loads|false",
            "query:load|user|load|false", "member-reap|member-reap||true", "member-failed|member-failed||true",
            "member-update|member-update||true",
    })
    void matchesLikeGo(String filter, String type, String name, boolean expected) {
        assertThat(EventFilter.parse(filter).matches(type, name == null ? "" : name)).isEqualTo(expected);
    }
}
