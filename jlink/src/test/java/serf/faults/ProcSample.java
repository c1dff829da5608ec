package serf.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** RSS, threads and open file descriptors of one process, from /proc. */
record ProcSample(long rssKb, int threads, int fds) {

    static Optional<ProcSample> of(long pid) {
        try {
            long rss = -1;
            int threads = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
            int fds;
            try (var s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                fds = (int) s.count();
            }
            return Optional.of(new ProcSample(rss, threads, fds));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** One table row: min/avg/max of each over {@code samples}. */
    static List<String> summary(List<ProcSample> samples) {
        return List.of(
                mma(samples.stream().mapToLong(ProcSample::rssKb).map(k -> k / 1024).toArray()),
                mma(samples.stream().mapToLong(ProcSample::threads).toArray()),
                mma(samples.stream().mapToLong(ProcSample::fds).toArray()));
    }

    private static String mma(long[] v) {
        if (v.length == 0) {
            return "-";
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long sum = 0;
        for (long x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
        }
        return min + " / " + Math.round((double) sum / v.length) + " / " + max;
    }
}
