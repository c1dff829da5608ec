package serf.hostile;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import serf.client.ClientConfig;
import serf.client.Member;
import serf.client.SerfClient;

/**
 * Asks an agent (ours or Go's) for its members over RPC, as `serf members` does (dial, handshake,
 * members), within a time bound: SerfClient waits for answers without a timeout, so a call that
 * takes too long is ended by closing its connection (a handshake that never completes is left to
 * end with the agent).
 */
final class RpcProbe {
    private RpcProbe() {
    }

    /** Member name to status ("alive", "failed", …), or empty if the agent did not answer within {@code timeout}. */
    static Optional<Map<String, String>> members(String rpcAddress, Duration timeout) {
        AtomicReference<SerfClient> client = new AtomicReference<>();
        CompletableFuture<Map<String, String>> call = new CompletableFuture<>();
        Thread.ofVirtual().name("hostile-rpc-probe").start(() -> {
            try (SerfClient c = SerfClient.connect(ClientConfig.of(rpcAddress).withTimeout(timeout))) {
                client.set(c);
                Map<String, String> out = new LinkedHashMap<>();
                for (Member m : c.members()) {
                    out.put(m.name(), m.status());
                }
                call.complete(out);
            } catch (Exception e) {
                call.completeExceptionally(e);
            }
        });
        try {
            return Optional.of(call.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            SerfClient c = client.get();
            if (c != null) {
                c.close();
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Whether {@code observer} lists {@code node} as alive. */
    static boolean seesAlive(Agent observer, String node, Duration timeout) {
        return members(observer.rpcAddress(), timeout).map(m -> "alive".equals(m.get(node))).orElse(false);
    }
}
