package serf.api.internal.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static serf.api.internal.msg.SerfVectors.HEX;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import serf.api.internal.msg.Filters.NodeFilter;
import serf.api.internal.msg.Filters.TagFilter;
import serf.wire.DecodeException;

/** Query filters: codec, matching rules, and RE2 semantics checked against the real Go agent. */
class FiltersTest {

    /** The tags of the Go agent the table below was run against (serf 0.9.4, built with go1.19.8). */
    private static final Map<String, String> AGENT_TAGS = Map.ofEntries(
            Map.entry("role", "web"), Map.entry("vt", "a\u000bb"), Map.entry("tab", "a\tb"),
            Map.entry("nl", "a\nb\nc"), Map.entry("nlend", "a\n"), Map.entry("greek", "\u03b1"),
            Map.entry("e", "\u00e9"), Map.entry("kel", "\u212a"), Map.entry("longs", "\u017f"),
            Map.entry("cr", "a\rc"), Map.entry("under", "_"), Map.entry("brace", "a{,2}"),
            Map.entry("amp", "&"), Map.entry("web2", "a web b"));

    /**
     * tag | RE2 expression | whether the Go agent processed the query. Obtained by running
     * {@code serf query -tag <tag>=<expr>} against a real agent with {@link #AGENT_TAGS} and
     * checking whether it acked; an expression Go refuses never matches.
     */
    private static final String GO_AGENT_RESULTS = """
            role | ^web$ | true
            role | web$ | true
            role | ^w | true
            role | eb | true
            role | ^eb | false
            role |  | true
            role | ^$ | false
            role | x* | true
            nlend | ^a$ | false
            nlend | a$ | false
            nlend | a\\n$ | true
            nlend | (?m)a$ | true
            nlend | (?m)^$ | true
            nl | ^b$ | false
            nl | (?m)^b$ | true
            nl | (?m)^c$ | true
            nl | (?m)a$ | true
            nl | a.b | false
            nl | (?s)a.b | true
            nl | a\\nb | true
            cr | a.c | true
            vt | a\\sb | false
            vt | a[[:space:]]b | true
            vt | a\\vb | true
            vt | a[\\v]b | true
            vt | a\\x0bb | true
            vt | a\\013b | true
            vt | a\\13b | true
            tab | a\\sb | true
            tab | a\\tb | true
            tab | a[\\s]b | true
            tab | a[^\\S]b | true
            role | (?i)WEB | true
            role | WEB | false
            role | (?i:W)EB | false
            role | (?i:w)EB | false
            role | (?i)w(?-i)EB | false
            role | (?P<my_name>web) | true
            role | (?P<n>w)(?P<n>e) | true
            role | (?P<>w) | false
            role | (?P<a-b>w) | false
            role | (?P=n) | false
            role | (w)\\1 | false
            role | (?=w)w | false
            role | (?!x)w | false
            role | (?<=w)e | false
            role | (?<!x)e | false
            role | (?>w) | false
            role | w*+ | false
            role | w++ | false
            role | w** | false
            role | w{1}{1} | false
            role | w{1001} | false
            role | w{1000} | false
            role | (w{500}){3} | false
            role | (w{2}){500} | false
            role | (?:w{0}){1001} | false
            role | w{2,1} | false
            role | w{,2} | false
            brace | a{,2} | true
            brace | ^a{,2}$ | true
            brace | a{ | true
            brace | a{2 | false
            brace | { | true
            role | w{01} | false
            role | \\Z | false
            role | \\z | true
            role | \\Aw | true
            role | \\G | false
            role | \\h | false
            role | \\R | false
            role | \\X | false
            role | \\e | false
            role | \\cA | false
            role | \\u0077 | false
            role | \\k<n> | false
            role | (?x)w | false
            role | (?u)w | false
            role | (?d)w | false
            role | (?U)w+ | true
            role | w+? | true
            role | w+?? | false
            role | [w | false
            role | (w | false
            role | w) | false
            role | *w | false
            role | (?i)* | false
            role | w(?i)* | true
            role | \\8 | false
            role | \\1 | false
            role | \\0 | false
            role | [[:alpha:]] | true
            role | [[:foo:]] | false
            role | [[:^alpha:]] | false
            role | [[:alpha:] | false
            role | \\p{Foo} | false
            role | \\p{Lower} | false
            role | \\p{IsLatin} | false
            role | \\p{Latin} | true
            role | \\p{latin} | false
            role | \\pL | true
            role | \\p{L} | true
            role | \\p{^L} | false
            role | \\PL | false
            role | \\p{Any} | true
            role | \\p{C} | false
            role | \\p{Greek} | false
            greek | \\p{Greek} | true
            greek | [\\p{Greek}] | true
            greek | \\p{Greek}+$ | true
            role | [z-a] | false
            role | [a-z] | true
            role | [^a-z] | false
            role | []w] | true
            amp | [a&&b] | true
            amp | [&] | true
            role | [a-] | false
            role | [w-] | true
            role | [a-b-w] | true
            role | [\\d] | false
            role | [\\b] | false
            role | [\\Qw\\E] | false
            role | \\Qw\\E | true
            role | \\Qw.b\\E | false
            role | \\Qweb | true
            role | \\x77 | true
            role | \\x{77} | true
            role | \\x{} | false
            role | \\x7 | false
            role | \\167 | true
            role | \\_ | false
            role | \\- | false
            role | \\  | false
            web2 | \\bweb\\b | true
            role | \\bweb\\b | true
            role | \\Bweb | false
            e | \\bé | false
            e | \\b | false
            e | \\B | true
            kel | (?i)k | true
            longs | (?i)s | true
            longs | (?i)S | true
            kel | (?i)[k] | true
            kel | (?i)[a-z] | true
            kel | [a-z] | false
            longs | (?i)\\w | true
            longs | (?i)\\W | false
            kel | (?i)[[:lower:]] | true
            role | (?i)[[:upper:]] | true
            role | [[:upper:]] | false
            role | (?i)\\p{Lu} | true
            role | a|w | true
            role | (a|) | true
            role | (?:) | true
            role | () | true
            role | (?#c) | false
            role | (?-)w | false
            role | (?i-)w | false
            role | (?-i)w | true
            role | (?i-s:w) | true
            role | (?im-sU)w | true
            role | \\C | false
            role | \\ | false
            role | w\\ | false
            under | \\w | true
            under | [[:word:]] | true
            under | [[:punct:]] | true
            amp | [[:punct:]] | true
            role | [[:^punct:]] | true
            role | ^*w | true
            role | $* | true
            role | \\b*w | true
            role | w{0} | true
            role | (?:w{0}){1000} | true
            role | ((w)) | true
            role | [^\\n] | true
            nl | [^\\n]{5} | false
            nl | ^[^\\n]*$ | false
            role | .{3} | true
            role | .{4} | false
            role | (?i)^[^W] | false
            role | (?i)^\\W | false
            role | ^[^\\x{0}-\\x{10FFFF}] | false
            role | \\P{Any} | false
            role | [\\P{Any}w] | true
            role | [^\\P{Any}] | true
            role | (?i)^[^[:upper:]] | false
            role | ^[^[:lower:]] | false
            role | [^\\D] | false
            role | (?i)^[^\\PL] | true
            role | \\pN | false
            role | \\p{Nd} | false
            role | \\p{Han} | false
            role | (?s). | true
            role | (?i)(?-i:W) | false
            role | (?i:(?-i)W) | false
            role | (W(?i))eb | false
            role | (?i)(W)|x | true
            role | x|(?i)W | true
            role | (?m)(?-m)^web$ | true
            role | ^(?m)web$ | true
            longs | (?i)[^s] | false
            kel | (?i)[^k] | false
            kel | (?i)[^K] | false
            kel | (?i)^\\W | false
            role | \\x{10FFFF} | false
            role | \\x{110000} | false
            role | [\\x{110000}] | false
            role | a{1000,} | false
            role | (?:a{100}){10} | false
            role | (?:a{100}){11} | false
            role | (?:a{100,}){11} | false
            role | (?:a*){1000} | true
            role | (?:a{2}){1000} | false
            role | w(?:e{0,1000}){0,1}b | true
            """;

    @Test
    void matchesExactlyAsTheGoAgentDid() {
        List<String> wrong = new ArrayList<>();
        int rows = 0;
        for (String line : GO_AGENT_RESULTS.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" \\| ", -1);
            assertThat(f).as(line).hasSize(3);
            boolean expected = Boolean.parseBoolean(f[2]);
            byte[] filter = Filters.encode(new TagFilter(f[0], f[1]));
            if (Filters.matches(List.of(filter), "n", AGENT_TAGS) != expected) {
                wrong.add(f[0] + "=" + f[1] + " -> expected " + expected + " (java: " + Re2.translate(f[1]) + ")");
            }
            rows++;
        }
        assertThat(rows).isGreaterThan(210);
        assertThat(wrong).isEmpty();
    }

    @Test
    void refusesWhatRe2RefusesEvenWhereJavaWouldMatch() {
        for (String expr : List.of("(w)\\1", "(?=w)w", "(?!x)w", "(?<=w)e", "(?<!x)e", "(?>w)", "w*+", "w++", "w**",
                "w{1}{1}", "\\Z", "\\G", "\\X", "(?x)w", "(?u)w", "(?d)w", "\\p{Lower}", "\\p{IsLatin}", "\\u0077",
                "[\\Qw\\E]", "(?<n>w)", "(?P=n)", "w{1001}", "(?:w{0}){1001}", "(?:(?:w{10}){10}){11}", "[[:foo:]]")) {
            assertThat(Re2.translate(expr)).as(expr).isNull();
            assertThat(Re2.find(expr, "web ww")).as(expr).isFalse();
        }
    }

    @Test
    void searchIsUnanchoredAndAMissingTagIsEmpty() {
        assertThat(matchTag("role", "db", Map.of("role", "mydb01"))).isTrue();
        assertThat(matchTag("role", "^$", Map.of())).isTrue();
        assertThat(matchTag("role", ".", Map.of())).isFalse();
        assertThat(matchTag("role", "", null)).isTrue();
    }

    @Test
    void everyFilterMustMatch() {
        byte[] node = Filters.encode(new NodeFilter(List.of("a", "b")));
        byte[] web = Filters.encode(new TagFilter("role", "^web$"));
        Map<String, String> tags = Map.of("role", "web");
        assertThat(Filters.matches(null, "a", tags)).isTrue();
        assertThat(Filters.matches(List.of(), "a", tags)).isTrue();
        assertThat(Filters.matches(List.of(node, web), "a", tags)).isTrue();
        assertThat(Filters.matches(List.of(node, web), "c", tags)).isFalse();
        assertThat(Filters.matches(List.of(node, web), "b", Map.of("role", "db"))).isFalse();
        // unknown type, empty, undecodable, invalid regex: the query is not for this node
        assertThat(Filters.matches(List.of(new byte[] {2, (byte) 0x90}), "a", tags)).isFalse();
        assertThat(Filters.matches(List.of(new byte[0]), "a", tags)).isFalse();
        assertThat(Filters.matches(List.of(new byte[] {0}), "a", tags)).isFalse();
        assertThat(Filters.matches(List.of(new byte[] {0, (byte) 0xa1, 'a'}), "a", tags)).isFalse();
        assertThat(Filters.matches(List.of(Filters.encode(new TagFilter("role", "(w)\\1"))), "a", tags)).isFalse();
    }

    @Test
    void codecFollowsGo() {
        assertThat(HEX.formatHex(Filters.encode(new NodeFilter(List.of("node-b", "node-c")))))
                .isEqualTo("0092a66e6f64652d62a66e6f64652d63");
        assertThat(HEX.formatHex(Filters.encode(new TagFilter("role", "^web$"))))
                .isEqualTo("0182a445787072a55e77656224a3546167a4726f6c65");
        // struct as array in declaration order (Tag, Expr); nil list; unknown keys
        assertThat(Filters.decode(HEX.parseHex("0192a4726f6c65a3776562"))).isEqualTo(new TagFilter("role", "web"));
        assertThat(Filters.decode(HEX.parseHex("00c0"))).isEqualTo(new NodeFilter(List.of()));
        assertThat(Filters.decode(HEX.parseHex("0183a178c3a3546167a161a445787072a162"))).isEqualTo(new TagFilter("a", "b"));
        for (String bad : List.of("", "00", "01", "02c0", "0093a161", "01a3616263", "0181a3546167cc01")) {
            assertThatThrownBy(() -> Filters.decode(HEX.parseHex(bad))).as(bad).isInstanceOf(DecodeException.class);
        }
    }

    @Test
    void backtrackingBlowUpsEndAsNoMatchInsteadOfHanging() {
        String value = "a".repeat(40) + "!";
        assertThat(Re2.find("(a*)*b", value)).isFalse();
        assertThat(Re2.find("(a|aa)+$", "a".repeat(60) + "!")).isFalse();
        assertThat(Re2.find("(a*)*a", value)).isTrue();
    }

    @Test
    void compiledPatternsAreCachedAndBounded() {
        assertThat(Re2.compile("^web$")).isSameAs(Re2.compile("^web$"));
        for (int i = 0; i < 500; i++) {
            assertThat(Re2.find("^x" + i + "$", "x" + i)).isTrue();
        }
        assertThat(Re2.find("x".repeat(Re2.MAX_EXPR_CHARS + 1), "x")).isFalse();
        // long literal runs stay one Java node, folded or not
        assertThat(Re2.find("(?i)" + "ab".repeat(4000), "AB".repeat(4000))).isTrue();
        assertThat(Re2.find("^" + "ab".repeat(4000) + "$", "ab".repeat(4000))).isTrue();
        assertThat(Re2.translate("(?i)ab(?-i)c")).isEqualTo("(?iu:ab)c");
        assertThat(Re2.find("(".repeat(5000) + ")".repeat(5000), "")).isFalse();
    }

    private static boolean matchTag(String tag, String expr, Map<String, String> tags) {
        return Filters.matches(List.of(Filters.encode(new TagFilter(tag, expr))), "n", tags);
    }
}
