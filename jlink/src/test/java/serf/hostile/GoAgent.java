package serf.hostile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import serf.testkit.GoSerfAgent;

/** A Go agent (Debian's /usr/bin/serf) driven through the testkit's {@link GoSerfAgent}, at Go's default log level. */
record GoAgent(GoSerfAgent agent) implements Agent {

    static GoAgent start(String name, Path workDir, List<String> args) throws IOException {
        GoSerfAgent agent = GoSerfAgent.launch(name, workDir, args.toArray(String[]::new));
        try {
            agent.awaitRunning();
            return new GoAgent(agent);
        } catch (AssertionError | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    @Override
    public Kind kind() {
        return Kind.GO;
    }

    @Override
    public String name() {
        return agent.name();
    }

    @Override
    public int gossipPort() {
        return agent.bindPort();
    }

    @Override
    public String rpcAddress() {
        return agent.rpcAddress();
    }

    @Override
    public Process process() {
        return agent.process();
    }

    @Override
    public String log() {
        return agent.log();
    }

    @Override
    public void close() {
        agent.close();
    }
}
