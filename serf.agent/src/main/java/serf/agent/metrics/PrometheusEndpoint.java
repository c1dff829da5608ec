package serf.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import serf.memberlist.metrics.MetricsSnapshot;

/**
 * The agent's Prometheus endpoint (ours, not Go's): {@code GET /metrics} answers with
 * {@link PrometheusText}; any other path 404, any other method 405. jdk.httpserver on virtual threads;
 * off unless {@code metrics_prometheus_addr} / {@code -metrics-prometheus-addr} is set, on 127.0.0.1
 * unless the address names another host.
 */
public final class PrometheusEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private PrometheusEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code address} (host:port, or :port for loopback) and serves {@code snapshot}. */
    public static PrometheusEndpoint start(String address, Supplier<MetricsSnapshot> snapshot) throws IOException {
        InetSocketAddress bind = bindAddress(address);
        HttpServer server = HttpServer.create(bind, 16);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", ex -> handle(ex, snapshot));
        server.start();
        return new PrometheusEndpoint(server, executor);
    }

    /** {@code :9100} and {@code 9100} mean 127.0.0.1:9100; a host given is used as given. */
    static InetSocketAddress bindAddress(String address) {
        String a = address.strip();
        if (!a.contains(":")) {
            return new InetSocketAddress("127.0.0.1", Integer.parseInt(a));
        }
        return StatsLineSink.parse(a);
    }

    private static void handle(HttpExchange ex, Supplier<MetricsSnapshot> snapshot) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals("/metrics")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = PrometheusText.of(snapshot.get()).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Where it listens (the port chosen when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
