package serf.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import serf.testkit.GoSerfAgent;
import serf.testkit.Poll;

/**
 * Our agent, run as a user runs it: {@code bin/serf agent …} of the runtime image (the launcher
 * execs the image's JVM, so the process is the JVM itself). The image is {@code -Dserf.image}, which
 * the jlink module's failsafe configuration sets to the image built in {@code package}.
 */
record ImageAgent(String name, int gossipPort, String rpcAddress, Process process, Path logFile) implements Agent {

    static Path image() {
        Path image = Path.of(System.getProperty("serf.image", "target/image"));
        if (!Files.isExecutable(image.resolve("bin/serf"))) {
            throw new IllegalStateException("no runtime image at " + image.toAbsolutePath()
                    + ": build it with ./mvnw -B package -pl jlink -am -DskipTests");
        }
        return image;
    }

    static ImageAgent start(String name, Path workDir, List<String> args) throws IOException {
        int gossip = GoSerfAgent.freeUdpTcpPort();
        String rpc = "127.0.0.1:" + GoSerfAgent.freeTcpPort();
        List<String> cmd = new ArrayList<>(List.of(image().resolve("bin/serf").toString(), "agent",
                "-node=" + name, "-bind=127.0.0.1:" + gossip, "-rpc-addr=" + rpc));
        cmd.addAll(args);
        Path log = workDir.resolve("image-agent-" + name + ".log");
        Process process = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ImageAgent agent = new ImageAgent(name, gossip, rpc, process, log);
        try {
            Poll.until("image agent " + name + " running", Duration.ofSeconds(20),
                    () -> !process.isAlive() || agent.log().contains("Serf agent running!"));
            if (!process.isAlive()) {
                throw new IOException("image agent " + name + " exited at start:\n" + agent.log());
            }
            return agent;
        } catch (AssertionError | IOException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    @Override
    public Kind kind() {
        return Kind.IMAGE;
    }

    @Override
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
