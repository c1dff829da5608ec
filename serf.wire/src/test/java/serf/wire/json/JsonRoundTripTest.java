package serf.wire.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class JsonRoundTripTest {

    static final Path VECTORS = serf.wire.Vectors.ROOT;

    static List<Path> vectorJsonFiles() throws IOException {
        try (Stream<Path> files = Files.walk(VECTORS)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void everyVectorJsonFileSurvivesWriteThenParse() throws IOException {
        List<Path> files = vectorJsonFiles();
        assertThat(files).hasSizeGreaterThan(10);
        for (Path file : files) {
            Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            assertThat(normalize(Json.parse(Json.write(parsed)))).as(file.toString()).isEqualTo(normalize(parsed));
            assertThat(normalize(Json.parse(Json.writePretty(parsed)))).as(file.toString()).isEqualTo(normalize(parsed));
        }
    }

    @Test
    void randomValueTreesSurviveWriteThenParse() {
        SplittableRandom random = new SplittableRandom(20240601);
        for (int i = 0; i < 2000; i++) {
            Object value = randomValue(random, 0);
            String compact = Json.write(value);
            assertThat(normalize(Json.parse(compact))).as(compact).isEqualTo(normalize(value));
            assertThat(normalize(Json.parse(Json.writePretty(value)))).as(compact).isEqualTo(normalize(value));
        }
    }

    @Test
    void doublesRoundTripExactly() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                continue;
            }
            Object back = Json.parse(Json.write(d));
            assertThat(((Number) back).doubleValue()).as(Json.write(d)).isEqualTo(d == 0 ? 0.0 : d);
        }
    }

    private static Object randomValue(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth >= 5 ? 6 : 8);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextLong();
            case 3 -> random.nextDouble(-1e6, 1e6) * Math.pow(10, random.nextInt(-30, 30));
            case 4, 5 -> randomString(random);
            case 6 -> {
                List<Object> list = new ArrayList<>();
                for (int n = random.nextInt(5); n > 0; n--) {
                    list.add(randomValue(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int n = random.nextInt(5); n > 0; n--) {
                    map.put(randomString(random), randomValue(random, depth + 1));
                }
                yield map;
            }
        };
    }

    private static String randomString(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            switch (random.nextInt(5)) {
                case 0 -> sb.append((char) random.nextInt(0x20));
                case 1 -> sb.append("\"\\/<>&\u2028\u2029".charAt(random.nextInt(8)));
                case 2 -> sb.appendCodePoint(random.nextInt(0x10000, 0x110000));
                case 3 -> {
                    char c = (char) random.nextInt(0x80, 0xD800);
                    sb.append(c);
                }
                default -> sb.append((char) random.nextInt(0x20, 0x7f));
            }
        }
        return sb.toString();
    }

    /** Numbers compared by value, so 100.0 written as "100" and read back as a Long still matches. */
    static Object normalize(Object value) {
        return switch (value) {
            case Map<?, ?> map -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(k, normalize(v)));
                yield out;
            }
            case List<?> list -> list.stream().map(JsonRoundTripTest::normalize).toList();
            case Double d -> new BigDecimal(Double.toString(d)).stripTrailingZeros();
            case Long l -> new BigDecimal(l).stripTrailingZeros();
            case null -> "<null>";
            default -> value;
        };
    }
}
