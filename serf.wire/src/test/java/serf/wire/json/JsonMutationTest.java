package serf.wire.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import serf.wire.DecodeException;

/** Seeded mutations of the real vector files: parsing either succeeds or raises DecodeException, nothing else. */
class JsonMutationTest {

    private static final String INTERESTING = "{}[]\":,\\u0123456789.eE+-tfn \n\t\u0000\uD83D\uDE00\u00e9";

    @Test
    void mutatedVectorFilesRaiseOnlyDecodeException() throws IOException {
        List<String> corpus = new ArrayList<>();
        for (Path file : JsonRoundTripTest.vectorJsonFiles()) {
            if (Files.size(file) <= 90_000) {
                corpus.add(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        assertThat(corpus).hasSizeGreaterThan(10);
        SplittableRandom random = new SplittableRandom(0x5e4f);
        int rejected = 0;
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            String original = corpus.get(random.nextInt(corpus.size()));
            String mutated = mutate(original, random);
            try {
                Json.parse(mutated, new JsonLimits(1 + random.nextInt(64), JsonLimits.DEFAULT.maxLength()));
                accepted++;
            } catch (DecodeException e) {
                assertThat(e.offset()).isBetween(0, mutated.length());
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("iteration " + i + " escaped with " + e, e);
            }
        }
        // both outcomes must be exercised, or the mutations are not doing their job
        assertThat(rejected).isGreaterThan(5000);
        assertThat(accepted).isGreaterThan(100);
    }

    private static String mutate(String text, SplittableRandom random) {
        StringBuilder sb = new StringBuilder(text);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && !sb.isEmpty(); e++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(7)) {
                case 0 -> sb.setCharAt(at, INTERESTING.charAt(random.nextInt(INTERESTING.length())));
                case 1 -> sb.setCharAt(at, (char) random.nextInt(0x10000));
                case 2 -> sb.deleteCharAt(at);
                case 3 -> sb.insert(at, INTERESTING.charAt(random.nextInt(INTERESTING.length())));
                case 4 -> sb.setLength(at);
                case 5 -> {
                    int end = Math.min(sb.length(), at + random.nextInt(64));
                    sb.insert(random.nextInt(sb.length()), sb.substring(at, end));
                }
                default -> {
                    // preserve structure but swap a value for a hostile one
                    String[] hostile = {"1e400", "[[[[[[[[", "\"\\ud800\"", "-", "0.", "\"\\u", "99999999999999999999999"};
                    sb.insert(at, hostile[random.nextInt(hostile.length)]);
                }
            }
        }
        return sb.toString();
    }
}
