package serf.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Agent#awaitStop()} returns when the agent is stopped and when Serf shuts down by itself
 * (then it stops the agent), without polling.
 */
class AwaitStopTest {

    private static CompletableFuture<Integer> awaitInBackground(Agent agent) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(agent.awaitStop());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Test
    void returnsOnceStopped() throws Exception {
        try (TestAgent a = TestAgent.start("stopped", RpcLimits.defaults(), "-profile=local")) {
            CompletableFuture<Integer> waiting = awaitInBackground(a.agent);
            assertThat(waiting).isNotDone();
            a.agent.stop();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(a.log()).doesNotContain("Serf shutdown detected");
            // Again after the stop: at once.
            assertThat(awaitInBackground(a.agent).get(10, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void stopsTheAgentWhenSerfShutsDownByItself() throws Exception {
        try (TestAgent a = TestAgent.start("serf-down", RpcLimits.defaults(), "-profile=local")) {
            CompletableFuture<Integer> waiting = awaitInBackground(a.agent);
            a.agent.serf().shutdown(); // as a lost name conflict does
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(a.log()).contains("agent: Serf shutdown detected, quitting", "agent: shutdown complete");
            // The RPC server went with it.
            assertThat(a.agent.serf().state()).isEqualTo(serf.api.SerfState.SHUTDOWN);
            try (java.net.Socket s = new java.net.Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.connect(a.agent.rpcAddress(), 2000))
                        .isInstanceOf(java.io.IOException.class);
            }
        }
    }
}
