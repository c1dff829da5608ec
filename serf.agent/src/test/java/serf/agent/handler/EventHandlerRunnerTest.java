package serf.agent.handler;

import serf.testkit.RecordingLogger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.api.Event;
import serf.api.EventType;
import serf.api.Member;
import serf.api.QueryException;

class EventHandlerRunnerTest {

    @TempDir
    Path dir;

    private final RecordingLogger log = new RecordingLogger();
    private final List<EventHandlerRunner> runners = new ArrayList<>();
    private final AtomicReference<Member> self = new AtomicReference<>();

    /** Records every query response the scripts give. */
    private final List<String> responses = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        runners.forEach(EventHandlerRunner::close);
    }

    private EventHandlerRunner runner(String... specs) throws Exception {
        return runner(16, Duration.ofSeconds(5), specs);
    }

    private EventHandlerRunner runner(int depth, Duration block, String... specs) throws Exception {
        if (self.get() == null) {
            self.set(ScriptFormatTest.member("self", "127.0.0.1", Map.of("role", "web", "dc", "x")));
        }
        EventHandlerRunner r = new EventHandlerRunner(EventScript.parseAll(List.of(specs)), self::get,
                new ScriptInvoker(ScriptInvoker.Options.defaults().withWorkingDir(dir), log), depth, block, log);
        runners.add(r);
        return r;
    }

    private ScriptEvent.QueryEvent query(String name, String payload) {
        return new ScriptEvent.QueryEvent(name, 9, payload == null ? null : payload.getBytes(StandardCharsets.UTF_8),
                p -> responses.add(new String(p, StandardCharsets.UTF_8)));
    }

    private List<String> lines(String file) throws IOException {
        Path p = dir.resolve(file);
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    /** The SERF_* variables a dump script saw, sorted. */
    private Map<String, String> serfEnv(String file) throws IOException {
        Map<String, String> env = new TreeMap<>();
        for (String l : Files.readAllLines(dir.resolve(file))) {
            if (l.startsWith("SERF_")) {
                int eq = l.indexOf('=');
                env.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return env;
    }

    private static final String DUMP = "env > \"$SERF_EVENT.env\"; cat > \"$SERF_EVENT.stdin\"";

    @Test
    void aUserEventIsReportedHandledOnlyAfterItsScriptsFinished() throws Exception {
        EventHandlerRunner r = runner("user=echo ran-$SERF_USER_LTIME >> log");
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        r.userEventLedger(new UserEventLedger() {
            @Override
            public boolean alreadyHandled(ScriptEvent.User event) {
                return false;
            }

            @Override
            public void handled(ScriptEvent.User event) {
                try {
                    seen.add(event.lTime() + " after " + lines("log"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        r.handle(new ScriptEvent.User("deploy", 7, null));
        r.handle(new ScriptEvent.Members("member-join", List.of()));
        r.handle(query("load", null));
        r.handle(new ScriptEvent.User("deploy", 8, null));
        assertThat(seen).containsExactly("7 after [ran-7]", "8 after [ran-7, ran-8]");
    }

    @Test
    void aUserEventTheLedgerKnowsAsHandledRunsNoScriptAndIsNotReportedAgain() throws Exception {
        EventHandlerRunner r = runner("user=echo ran-$SERF_USER_EVENT >> log");
        List<String> reported = new CopyOnWriteArrayList<>();
        r.userEventLedger(new UserEventLedger() {
            @Override
            public boolean alreadyHandled(ScriptEvent.User event) {
                return event.name().equals("old");
            }

            @Override
            public void handled(ScriptEvent.User event) {
                reported.add(event.name());
            }
        });
        r.handle(new ScriptEvent.User("old", 5, null));
        r.handle(new ScriptEvent.User("new", 5, null));
        assertThat(lines("log")).containsExactly("ran-new");
        assertThat(reported).containsExactly("new");
        assertThat(r.skippedAlreadyHandled()).isEqualTo(1);
        assertThat(r.handled()).isEqualTo(2);
    }

    @Test
    void eachEventKindRunsTheMatchingScriptsInConfigurationOrder() throws Exception {
        EventHandlerRunner r = runner("echo all-$SERF_EVENT >> log", "member-join=echo join >> log",
                "member-leave,member-failed=echo leave-or-failed >> log", "user=echo user >> log",
                "user:deploy=echo deploy >> log", "query=echo query >> log", "query:load=echo load >> log",
                "user,user:deploy=echo twice >> log");
        r.handle(new ScriptEvent.Members("member-join", List.of()));
        r.handle(new ScriptEvent.Members("member-failed", List.of()));
        r.handle(new ScriptEvent.Members("member-reap", List.of()));
        r.handle(new ScriptEvent.User("deploy", 1, null));
        r.handle(new ScriptEvent.User("other", 2, null));
        r.handle(query("load", null));
        r.handle(query("ping", null));
        assertThat(lines("log")).containsExactly(
                "all-member-join", "join",
                "all-member-failed", "leave-or-failed",
                "all-member-reap",
                "all-user", "user", "deploy", "twice", "twice",
                "all-user", "user", "twice",
                "all-query", "query", "load",
                "all-query", "query");
        assertThat(r.handled()).isEqualTo(7);
    }

    @Test
    void memberEventsGetTheirEnvironmentAndOneLinePerMember() throws Exception {
        EventHandlerRunner r = runner(DUMP);
        Member n2 = ScriptFormatTest.member("n2", "127.0.0.2", Map.of("role", "db"));
        Member n3 = ScriptFormatTest.member("n3", "10.0.0.3", Map.of());
        r.accept(new Event.MemberEvent(EventType.MEMBER_JOIN, List.of(n2, n3)));
        Await.until("handled", Duration.ofSeconds(10), () -> r.handled() == 1);
        assertThat(serfEnv("member-join.env")).isEqualTo(Map.of("SERF_EVENT", "member-join", "SERF_SELF_NAME", "self",
                "SERF_SELF_ROLE", "web", "SERF_TAG_ROLE", "web", "SERF_TAG_DC", "x"));
        assertThat(Files.readString(dir.resolve("member-join.stdin"))).isEqualTo("n2\t127.0.0.2\tdb\trole=db\nn3\t10.0.0.3\t\t\n");
        assertThat(Files.readAllLines(dir.resolve("member-join.env"))).contains("PATH=" + System.getenv("PATH"));
    }

    @Test
    void userEventsGetNameLtimeAndPayload() throws Exception {
        EventHandlerRunner r = runner(DUMP);
        r.accept(new Event.UserEvent(42, "deploy", "v1.2".getBytes(), true));
        Await.until("handled", Duration.ofSeconds(10), () -> r.handled() == 1);
        assertThat(serfEnv("user.env")).isEqualTo(Map.of("SERF_EVENT", "user", "SERF_SELF_NAME", "self",
                "SERF_SELF_ROLE", "web", "SERF_TAG_ROLE", "web", "SERF_TAG_DC", "x", "SERF_USER_EVENT", "deploy",
                "SERF_USER_LTIME", "42"));
        assertThat(Files.readString(dir.resolve("user.stdin"))).isEqualTo("v1.2\n");
    }

    @Test
    void theLocalTagsAreReadAtEachEvent() throws Exception {
        EventHandlerRunner r = runner(DUMP);
        r.handle(new ScriptEvent.User("a", 1, null));
        assertThat(serfEnv("user.env")).containsEntry("SERF_TAG_DC", "x");
        self.set(ScriptFormatTest.member("self", "127.0.0.1", Map.of("foo", "bar", "role", "web")));
        r.handle(new ScriptEvent.User("a", 2, null));
        assertThat(serfEnv("user.env")).containsEntry("SERF_TAG_FOO", "bar").doesNotContainKey("SERF_TAG_DC");
        assertThat(Files.readString(dir.resolve("user.stdin"))).isEmpty();
    }

    @Test
    void aQueryIsAnsweredWithTheScriptsOutput() throws Exception {
        EventHandlerRunner r = runner("query:load=" + DUMP + "; echo resp-from-$SERF_SELF_NAME; echo err >&2");
        r.handle(query("load", "hello"));
        assertThat(responses).containsExactly("resp-from-self\nerr\n");
        assertThat(serfEnv("query.env")).isEqualTo(Map.of("SERF_EVENT", "query", "SERF_SELF_NAME", "self",
                "SERF_SELF_ROLE", "web", "SERF_TAG_ROLE", "web", "SERF_TAG_DC", "x", "SERF_QUERY_NAME", "load",
                "SERF_QUERY_LTIME", "9"));
        assertThat(Files.readString(dir.resolve("query.stdin"))).isEqualTo("hello\n");
        assertThat(log.at(System.Logger.Level.DEBUG)).containsExactly("agent: Event 'query' script output: resp-from-self\nerr\n");
    }

    @Test
    void noAnswerWithoutOutputOrOnFailure() throws Exception {
        EventHandlerRunner r = runner("query:silent=true", "query:fails=echo partial; exit 2", "query:other=echo other");
        r.handle(query("silent", null));
        r.handle(query("fails", null));
        assertThat(responses).isEmpty();
        assertThat(log.at(System.Logger.Level.ERROR)).containsExactly(
                "agent: Error invoking script 'echo partial; exit 2': exit status 2");
        r.handle(new ScriptEvent.User("other", 1, null));
        assertThat(responses).isEmpty();
    }

    @Test
    void eachMatchingScriptAnswersAndTheResponderDecides() throws Exception {
        List<String> sent = new ArrayList<>();
        EventHandlerRunner r = runner("query=echo first", "query:x=echo second");
        r.handle(new ScriptEvent.QueryEvent("x", 1, null, p -> {
            if (!sent.isEmpty()) {
                throw new QueryException("failed to respond to key query: response already sent");
            }
            sent.add(new String(p, StandardCharsets.UTF_8));
        }));
        assertThat(sent).containsExactly("first\n");
        assertThat(log.at(System.Logger.Level.WARNING)).containsExactly(
                "agent: Failed to respond to query 'query: x': failed to respond to key query: response already sent");
    }

    @Test
    void onlyTheLastEightKilobytesAreSent() throws Exception {
        EventHandlerRunner r = runner("query=head -c 9000 /dev/zero | tr '\\0' b; printf E");
        r.handle(query("big", null));
        assertThat(responses).hasSize(1);
        assertThat(responses.get(0)).hasSize(8192).endsWith("bE");
    }

    @Test
    void scriptsNeverOverlapAndEventsKeepTheirOrder() throws Exception {
        EventHandlerRunner r = runner("echo start $SERF_USER_EVENT >> log; sleep 0.05; echo end $SERF_USER_EVENT >> log",
                "echo second $SERF_USER_EVENT >> log");
        for (int i = 0; i < 10; i++) {
            assertThat(r.submit(new ScriptEvent.User("e" + i, i, null))).isTrue();
        }
        Await.until("all handled", Duration.ofSeconds(30), () -> r.handled() == 10);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.addAll(List.of("start e" + i, "end e" + i, "second e" + i));
        }
        assertThat(lines("log")).isEqualTo(expected);
    }

    @Test
    void newScriptsApplyFromTheNextEvent() throws Exception {
        EventHandlerRunner r = runner("echo old >> log");
        r.handle(new ScriptEvent.User("a", 1, null));
        r.updateScripts(EventScript.parseAll(List.of("user=echo new >> log", "member-join=echo join >> log")));
        assertThat(r.scripts()).hasSize(1);
        r.handle(new ScriptEvent.User("b", 2, null));
        assertThat(r.scripts()).hasSize(2);
        r.updateScripts(List.of());
        r.handle(new ScriptEvent.User("c", 3, null));
        assertThat(lines("log")).containsExactly("old", "new");
        assertThatThrownBy(() -> r.updateScripts(EventScript.parse("member-foo=x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid event script: Event 'member-foo' invoking 'x'");
    }

    /**
     * The warnings about dropped events; the blocked script's "slow, execution exceeding 1s" warning
     * also comes when the machine is busy enough to delay it past a second, and is not what these
     * tests are about.
     */
    private List<String> dropWarnings() {
        return log.at(System.Logger.Level.WARNING).stream().filter(m -> !m.contains("slow, execution exceeding")).toList();
    }

    @Test
    void aFullQueueDropsAfterTheBlockTimeout() throws Exception {
        EventHandlerRunner r = runner(1, Duration.ofMillis(100),
                "*=i=0; while [ ! -f go ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; echo $SERF_USER_EVENT >> log");
        assertThat(r.submit(new ScriptEvent.User("first", 1, null))).isTrue();
        Await.until("first taken", Duration.ofSeconds(10), () -> r.queued() == 0);
        assertThat(r.submit(new ScriptEvent.User("second", 2, null))).isTrue();
        assertThat(r.submit(new ScriptEvent.User("third", 3, null))).isFalse();
        assertThat(r.dropped()).isEqualTo(1);
        assertThat(dropWarnings()).containsExactly(
                "agent: Event handlers are not keeping up, dropped event: user-event: third");
        Files.createFile(dir.resolve("go"));
        Await.until("queue drained", Duration.ofSeconds(20), () -> r.handled() == 2);
        assertThat(lines("log")).containsExactly("first", "second");
    }

    @Test
    void aRunOfDropsIsLoggedOnceWhenItStartsAndSummedUpWhenItEnds() throws Exception {
        EventHandlerRunner r = runner(1, Duration.ZERO,
                "*=i=0; while [ ! -f go ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; echo $SERF_USER_EVENT >> log");
        assertThat(r.submit(new ScriptEvent.User("first", 1, null))).isTrue();
        Await.until("first taken", Duration.ofSeconds(10), () -> r.queued() == 0);
        assertThat(r.submit(new ScriptEvent.User("second", 2, null))).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(r.submit(new ScriptEvent.User("dropped" + i, 3 + i, null))).isFalse();
        }
        assertThat(r.dropped()).isEqualTo(5);
        assertThat(dropWarnings()).containsExactly(
                "agent: Event handlers are not keeping up, dropped event: user-event: dropped0");
        Files.createFile(dir.resolve("go"));
        Await.until("queue drained", Duration.ofSeconds(20), () -> r.queued() == 0);
        assertThat(r.submit(new ScriptEvent.User("later", 9, null))).isTrue();
        assertThat(dropWarnings()).containsExactly(
                "agent: Event handlers are not keeping up, dropped event: user-event: dropped0",
                "agent: Event handlers are keeping up again; dropped 5 events");
        Await.until("all handled", Duration.ofSeconds(20), () -> r.handled() == 3);
        assertThat(lines("log")).containsExactly("first", "second", "later");
    }

    @Test
    void closeKillsARunningScriptAndRefusesNewEvents() throws Exception {
        EventHandlerRunner r = runner("echo $$ > sh.pid; exec sleep 60");
        r.submit(new ScriptEvent.User("a", 1, null));
        r.submit(new ScriptEvent.User("queued", 2, null));
        Await.until("script running", Duration.ofSeconds(10), () -> Files.exists(dir.resolve("sh.pid")));
        long t0 = System.nanoTime();
        r.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        ScriptInvokerTest.assertDead(dir.resolve("sh.pid"));
        assertThat(r.submit(new ScriptEvent.User("late", 3, null))).isFalse();
        assertThat(r.handled()).isZero();
        r.close();
    }

    @Test
    void aScriptThatCannotRunIsLogged() throws Exception {
        EventHandlerRunner r = new EventHandlerRunner(EventScript.parse("x"), () -> null,
                new ScriptInvoker(new ScriptInvoker.Options(List.of(dir.resolve("no-shell").toString()), 8192,
                        Duration.ofSeconds(1), Duration.ZERO, null), log), 4, Duration.ofSeconds(1), log);
        runners.add(r);
        r.handle(new ScriptEvent.User("a", 1, null));
        assertThat(log.at(System.Logger.Level.ERROR)).singleElement().asString().startsWith("agent: Error invoking script 'x': ");
        assertThat(r.handled()).isEqualTo(1);
    }

    @Test
    void invalidScriptsAreRefused() {
        assertThatThrownBy(() -> runner("member-foo=x.sh")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid event script: Event 'member-foo' invoking 'x.sh'");
    }

    @Test
    void noThreadsAreLeftAfterClose() throws Exception {
        EventHandlerRunner r = runner("true");
        r.handle(new ScriptEvent.User("a", 1, null));
        r.close();
        Await.until("runner thread gone", Duration.ofSeconds(5), () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("serf-event-handlers") || t.getName().startsWith("serf-handler-")));
        assertThat(Stream.of(1)).isNotEmpty();
    }
}
