package serf.agent.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import serf.agent.config.AgentConfigLoader;
import serf.agent.config.AgentConfigValidator;
import serf.agent.config.LoadedConfig;
import serf.agent.handler.EventHandlerRunner;
import serf.agent.handler.EventScript;
import serf.agent.handler.ScriptInvoker;
import serf.client.internal.RpcChannel;
import serf.testkit.GoSerfAgent;

/** Our agent in this JVM on 127.0.0.1, with RPC bounds of the test's choosing; its log kept in memory. */
final class TestAgent implements AutoCloseable {
    private static final ReentrantLock LOG_LOCK = new ReentrantLock();
    final Agent agent;
    final EventHandlerRunner handlers;
    private final ByteArrayOutputStream logBytes;

    private TestAgent(Agent agent, EventHandlerRunner handlers, ByteArrayOutputStream logBytes) {
        this.agent = agent;
        this.handlers = handlers;
        this.logBytes = logBytes;
    }

    static TestAgent start(String name, RpcLimits limits, String... flags) throws Exception {
        return start(name, limits, EventHandlerRunner.DEFAULT_QUEUE, flags);
    }

    static TestAgent start(String name, RpcLimits limits, int handlerQueue, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("-node=" + name, "-bind=127.0.0.1:" + GoSerfAgent.freeUdpTcpPort(),
                "-rpc-addr=127.0.0.1:" + GoSerfAgent.freeTcpPort()));
        args.addAll(List.of(flags));
        LoadedConfig loaded = new AgentConfigLoader().load(args);
        AgentConfigValidator.Startup startup = AgentConfigValidator.validate(loaded.config());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream locked = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                LOG_LOCK.lock();
                try {
                    bytes.write(b, off, len);
                } finally {
                    LOG_LOCK.unlock();
                }
            }
        };
        AgentLog log = new AgentLog(new PrintStream(locked, true, StandardCharsets.UTF_8), LogLevel.DEBUG);
        log.openGate();
        Agent[] self = new Agent[1];
        EventHandlerRunner handlers = new EventHandlerRunner(EventScript.parseAll(loaded.config().eventHandlers()),
                () -> self[0] == null ? null : self[0].serf().localMember(), new ScriptInvoker(), handlerQueue, Duration.ZERO);
        Agent agent = Agent.create(loaded.config(), startup, log, handlers);
        self[0] = agent;
        agent.startRpc(limits);
        return new TestAgent(agent, handlers, bytes);
    }

    String rpcAddr() {
        InetSocketAddress a = agent.rpcAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    RpcChannel client() throws IOException {
        return RpcChannel.connect(rpcAddr(), "");
    }

    Socket raw() throws IOException {
        Socket s = new Socket();
        s.connect(agent.rpcAddress(), 5000);
        return s;
    }

    String log() {
        LOG_LOCK.lock();
        try {
            return logBytes.toString(StandardCharsets.UTF_8);
        } finally {
            LOG_LOCK.unlock();
        }
    }

    @Override
    public void close() {
        agent.stop();
        handlers.close();
    }
}
