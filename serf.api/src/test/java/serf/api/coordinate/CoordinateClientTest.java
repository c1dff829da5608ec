package serf.api.coordinate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import serf.wire.json.Json;

/** The Vivaldi client against the Go update sequence, and Go's rules for rejecting samples. */
class CoordinateClientTest {

    private static final Path VECTORS = serf.testkit.TestVectors.root()
            .resolve("serf/coordinate/vivaldi_update_sequence.json");
    private static final CoordinateConfig DEFAULTS = CoordinateConfig.defaults();

    @Test
    void defaultsAreGos() {
        assertThat(DEFAULTS).isEqualTo(new CoordinateConfig(8, 1.5, 0.25, 0.25, 20, 1.0e-5, 3, 150.0));
        Coordinate origin = Coordinate.origin(DEFAULTS);
        assertThat(origin.vec()).containsOnly(0.0).hasSize(8);
        assertThat(origin.error()).isEqualTo(1.5);
        assertThat(origin.height()).isEqualTo(1.0e-5);
        assertThat(new CoordinateClient(DEFAULTS).getCoordinate()).isEqualTo(origin);
    }

    @Test
    void reproducesGosUpdateSequence() throws IOException {
        Map<String, Object> seq = map(Json.parse(Files.readString(VECTORS)));
        Map<String, Object> config = map(seq.get("config"));
        assertThat(new CoordinateConfig(num(config.get("Dimensionality")).intValue(), dbl(config.get("VivaldiErrorMax")),
                dbl(config.get("VivaldiCE")), dbl(config.get("VivaldiCC")), num(config.get("AdjustmentWindowSize")).intValue(),
                dbl(config.get("HeightMin")), num(config.get("LatencyFilterSize")).intValue(), dbl(config.get("GravityRho"))))
                .isEqualTo(DEFAULTS);

        Coordinate start = coordinate(map(seq.get("start")));
        List<Object> steps = list(seq.get("steps"));
        Coordinate first = coordinate(map(map(steps.get(0)).get("Other")));
        assertThat(start.distanceTo(first).toNanos()).isEqualTo(num(seq.get("distance_start_to_other_1_nanos")).longValue());

        CoordinateClient client = new CoordinateClient(DEFAULTS, new FailingRandom());
        client.setCoordinate(start);
        int step = 0;
        for (Object o : steps) {
            Map<String, Object> s = map(o);
            Coordinate got = client.update((String) s.get("Node"), coordinate(map(s.get("Other"))),
                    Duration.ofNanos(num(s.get("RTTNanos")).longValue()));
            Coordinate want = coordinate(map(s.get("After")));
            String at = "step " + step++;
            double[] gv = got.vec();
            double[] wv = want.vec();
            for (int i = 0; i < wv.length; i++) {
                assertThat(gv[i]).as(at + " vec[" + i + "]").isCloseTo(wv[i], within(1e-12));
            }
            assertThat(got.error()).as(at + " error").isCloseTo(want.error(), within(1e-12));
            assertThat(got.adjustment()).as(at + " adjustment").isCloseTo(want.adjustment(), within(1e-12));
            assertThat(got.height()).as(at + " height").isCloseTo(want.height(), within(1e-12));
            assertThat(client.getCoordinate()).isEqualTo(got);
            // and in fact bit for bit: the same float64 operations in the same order as Go
            assertThat(got).as(at).isEqualTo(want);
        }
        assertThat(step).isEqualTo(5);
        assertThat(client.stats().resets()).isZero();
    }

    @Test
    void distancesQuantiseToWholeNanoseconds() {
        Coordinate a = new Coordinate(new double[] {0.001, 0, 0}, 1.5, 0, 1e-5);
        Coordinate b = new Coordinate(new double[] {0, 0, 0}, 1.5, 0, 1e-5);
        // 1 ms + 2 x 10 us, truncated toward zero
        assertThat(a.distanceTo(b)).isEqualTo(Duration.ofNanos(1_020_000));
        assertThat(b.distanceTo(a)).isEqualTo(a.distanceTo(b));
        // a positive adjustment sum is added; one that would make the distance negative is not
        Coordinate adjusted = new Coordinate(new double[] {0, 0, 0}, 1.5, 0.0005, 1e-5);
        assertThat(a.distanceTo(adjusted)).isEqualTo(Duration.ofNanos(1_520_000));
        Coordinate negative = new Coordinate(new double[] {0, 0, 0}, 1.5, -0.5, 1e-5);
        assertThat(a.distanceTo(negative)).isEqualTo(Duration.ofNanos(1_020_000));
        // 3-4-5 triangle, heights zero: exactly 5 s
        Coordinate p = new Coordinate(new double[] {3, 0, 0}, 1, 0, 0);
        Coordinate q = new Coordinate(new double[] {0, 4, 0}, 1, 0, 0);
        assertThat(p.distanceTo(q)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Coordinate.seconds(1_500_000_001L)).isEqualTo(1.500000001);
        assertThat(Coordinate.goFloatToInt64(Double.NaN)).isEqualTo(Long.MIN_VALUE);
        assertThat(Coordinate.goFloatToInt64(1e30)).isEqualTo(Long.MIN_VALUE);
        assertThat(Coordinate.goFloatToInt64(-2.9)).isEqualTo(-2);
        assertThatThrownBy(() -> p.distanceTo(Coordinate.origin(DEFAULTS))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsInvalidSamplesLikeGoAndChangesNothing() {
        CoordinateClient client = new CoordinateClient(DEFAULTS, new SplittableRandom(1));
        Coordinate before = client.getCoordinate();
        Coordinate ok = Coordinate.origin(DEFAULTS);
        assertThatThrownBy(() -> client.update("n", new Coordinate(new double[3], 1.5, 0, 1e-5), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("dimensions aren't compatible");
        double[] nan = new double[8];
        nan[3] = Double.NaN;
        assertThatThrownBy(() -> client.update("n", new Coordinate(nan, 1.5, 0, 1e-5), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("coordinate is invalid");
        assertThatThrownBy(() -> client.update("n", new Coordinate(new double[8], Double.POSITIVE_INFINITY, 0, 1e-5),
                Duration.ofMillis(1))).hasMessage("coordinate is invalid");
        assertThatThrownBy(() -> client.update("n", new Coordinate(new double[8], 1.5, Double.NaN, 1e-5),
                Duration.ofMillis(1))).hasMessage("coordinate is invalid");
        assertThatThrownBy(() -> client.update("n", ok, Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("round trip time not in valid range");
        assertThatThrownBy(() -> client.update("n", ok, Duration.ofSeconds(10).plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.update("n", ok, Duration.ofDays(365 * 1000))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.setCoordinate(new Coordinate(new double[2], 1, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(client.getCoordinate()).isEqualTo(before);
        // the bounds themselves are accepted, zero included (Go only counts a metric for it)
        client.update("n", ok, Duration.ofSeconds(10));
        client.update("n", ok, Duration.ZERO);
        assertThat(client.getCoordinate().isValid()).isTrue();
    }

    @Test
    void aCoordinateThatBlowsUpIsResetAndCounted() {
        CoordinateClient client = new CoordinateClient(DEFAULTS, new SplittableRandom(7));
        // huge but finite: the update overflows to infinity/NaN, as in Go's TestClient_NaN_Defense
        double[] far = new double[8];
        java.util.Arrays.fill(far, Double.MAX_VALUE / 4);
        Coordinate result = client.update("far", new Coordinate(far, 1.5, 0, 1e-5), Duration.ofMillis(1));
        assertThat(result).isEqualTo(Coordinate.origin(DEFAULTS));
        assertThat(client.stats().resets()).isEqualTo(1);
        assertThat(client.getCoordinate().isValid()).isTrue();
    }

    @Test
    void latencyFilterTakesTheMedianOfTheLastThree() {
        // Same peer, same coordinate: the filter decides which RTT the algorithm sees. Compare with a
        // fresh client fed the median directly.
        Coordinate peer = new Coordinate(new double[] {0.01, 0, 0, 0, 0, 0, 0, 0}, 0.5, 0, 1e-5);
        CoordinateClient filtered = new CoordinateClient(DEFAULTS, new FailingRandom());
        filtered.update("p", peer, Duration.ofMillis(10));
        filtered.update("p", peer, Duration.ofMillis(50)); // two samples: the larger, 50
        filtered.update("p", peer, Duration.ofMillis(20)); // median of 10, 50, 20 = 20
        Coordinate afterFour = filtered.update("p", peer, Duration.ofMillis(5)); // 50, 20, 5 -> 20

        CoordinateClient direct = new CoordinateClient(DEFAULTS, new FailingRandom());
        direct.update("a", peer, Duration.ofMillis(10));
        direct.update("b", peer, Duration.ofMillis(50));
        direct.update("c", peer, Duration.ofMillis(20));
        assertThat(direct.update("d", peer, Duration.ofMillis(20))).isEqualTo(afterFour);

        // forgetting the node restarts its history: the next sample is taken as is, not filtered
        CoordinateClient same = new CoordinateClient(DEFAULTS, new FailingRandom());
        CoordinateClient fresh = new CoordinateClient(DEFAULTS, new FailingRandom());
        for (CoordinateClient c : List.of(same, fresh)) {
            for (int ms : new int[] {10, 50, 20, 5}) {
                c.update("p", peer, Duration.ofMillis(ms));
            }
        }
        assertThat(same.getCoordinate()).isEqualTo(afterFour);
        filtered.forgetNode("p");
        Coordinate forgotten = filtered.update("p", peer, Duration.ofMillis(100)); // sees 100
        Coordinate remembered = same.update("p", peer, Duration.ofMillis(100)); // median of 20, 5, 100 = 20
        Coordinate unknown = fresh.update("q", peer, Duration.ofMillis(100)); // no history: 100
        assertThat(forgotten).isEqualTo(unknown).isNotEqualTo(remembered);
    }

    @Test
    void coincidingCoordinatesMoveInARandomDirection() {
        // At the origin both coordinates coincide: the direction comes from the injected generator.
        Coordinate origin = Coordinate.origin(DEFAULTS);
        Coordinate a = new CoordinateClient(DEFAULTS, new SplittableRandom(42)).update("o", origin, Duration.ofMillis(5));
        Coordinate b = new CoordinateClient(DEFAULTS, new SplittableRandom(42)).update("o", origin, Duration.ofMillis(5));
        Coordinate c = new CoordinateClient(DEFAULTS, new SplittableRandom(43)).update("o", origin, Duration.ofMillis(5));
        assertThat(a).isEqualTo(b);
        assertThat(a.vec()).isNotEqualTo(c.vec());
        assertThat(a.distanceTo(origin)).isPositive();
        // a generator stuck at 0.5 gives a zero vector: Go then falls back to the first axis
        Coordinate axis = new CoordinateClient(DEFAULTS, new ConstantRandom(0.5)).update("o", origin, Duration.ofMillis(5));
        double[] v = axis.vec();
        assertThat(v[0]).isPositive();
        for (int i = 1; i < v.length; i++) {
            assertThat(v[i]).isZero();
        }
    }

    @Test
    void recordIsImmutable() {
        double[] vec = {1, 2, 3};
        Coordinate c = new Coordinate(vec, 1, 0, 0);
        vec[0] = 99;
        c.vec()[1] = 99;
        assertThat(c.vec()).containsExactly(1, 2, 3);
        assertThat(c).isEqualTo(new Coordinate(new double[] {1, 2, 3}, 1, 0, 0)).hasSameHashCodeAs(
                new Coordinate(new double[] {1, 2, 3}, 1, 0, 0));
        assertThat(c.isCompatibleWith(new Coordinate(new double[3], 0, 0, 0))).isTrue();
        assertThat(c.isCompatibleWith(new Coordinate(new double[4], 0, 0, 0))).isFalse();
        assertThatThrownBy(() -> new CoordinateConfig(0, 1.5, 0.25, 0.25, 20, 1e-5, 3, 150))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentUpdatesKeepTheClientConsistent() throws Exception {
        CoordinateClient client = new CoordinateClient(DEFAULTS, new SplittableRandom(3));
        Coordinate peer = new Coordinate(new double[] {0.002, 0.001, 0, 0, 0, 0, 0, 0}, 0.8, 0, 2e-5);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String node = "n" + t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 200; i++) {
                        client.update(node, peer, Duration.ofMillis(1 + i % 7));
                        assertThat(client.getCoordinate().isValid()).isTrue();
                        client.stats();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(client.getCoordinate().isValid()).isTrue();
        assertThat(client.stats().resets()).isZero();
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** The sequence never needs a random direction; fail loudly if it asks for one. */
    private static final class FailingRandom implements RandomGenerator {
        @Override
        public long nextLong() {
            throw new AssertionError("random direction requested");
        }
    }

    private static final class ConstantRandom implements RandomGenerator {
        private final double value;

        ConstantRandom(double value) {
            this.value = value;
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public double nextDouble() {
            return value;
        }
    }

    static Coordinate coordinate(Map<String, Object> m) {
        List<Object> v = list(m.get("Vec"));
        double[] vec = new double[v.size()];
        for (int i = 0; i < vec.length; i++) {
            vec[i] = dbl(v.get(i));
        }
        return new Coordinate(vec, dbl(m.get("Error")), dbl(m.get("Adjustment")), dbl(m.get("Height")));
    }

    static double dbl(Object o) {
        return ((Number) o).doubleValue();
    }

    static Number num(Object o) {
        return (Number) o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }
}
