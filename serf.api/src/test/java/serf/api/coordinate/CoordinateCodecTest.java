package serf.api.coordinate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import serf.wire.DecodeException;
import serf.wire.json.Json;

/** The ack payload: Go's vectors byte for byte, Go's leniencies, and refusals. */
class CoordinateCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final Path MESSAGES = serf.testkit.TestVectors.root()
            .resolve("serf/messages.json");

    static Stream<Arguments> ackPayloads() throws IOException {
        List<Object> all = CoordinateClientTest.list(Json.parse(Files.readString(MESSAGES)));
        return all.stream().map(CoordinateClientTest::map).filter(v -> "ack-payload".equals(v.get("kind")))
                .map(v -> Arguments.of(v.get("id"), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ackPayloads")
    void ackPayloadVectorsDecodeAndReencode(String id, Map<String, Object> vector) {
        byte[] raw = HEX.parseHex((String) vector.get("hex"));
        Map<String, Object> decoded = CoordinateClientTest.map(vector.get("decoded"));
        assertThat(raw[0]).isEqualTo((byte) CoordinateCodec.PING_VERSION);
        assertThat(((Number) decoded.get("version")).intValue()).isEqualTo(1);
        Coordinate c = CoordinateCodec.decode(raw);
        // JSON floats print the shortest decimal that round-trips, so these compare exactly
        assertThat(c).isEqualTo(CoordinateClientTest.coordinate(CoordinateClientTest.map(decoded.get("coordinate"))));
        assertThat(HEX.formatHex(CoordinateCodec.encode(c))).isEqualTo(HEX.formatHex(raw));
        assertThat(raw).hasSize(130);
    }

    @Test
    void initialCoordinateIsTheCapturedPayload() {
        assertThat(HEX.formatHex(CoordinateCodec.encode(new CoordinateClient(CoordinateConfig.defaults()).getCoordinate())))
                .isEqualTo("0184aa41646a7573746d656e74cb0000000000000000a54572726f72cb3ff8000000000000a6486569676874cb3ee4f8b588e368f1"
                        + "a356656398" + "cb0000000000000000".repeat(8));
    }

    @Test
    void randomCoordinatesRoundTripBitForBit() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 2000; i++) {
            double[] vec = new double[r.nextInt(12)];
            for (int k = 0; k < vec.length; k++) {
                vec[k] = switch (r.nextInt(6)) {
                    case 0 -> Double.NaN;
                    case 1 -> -0.0;
                    case 2 -> Double.longBitsToDouble(r.nextLong());
                    default -> r.nextDouble(-1, 1);
                };
            }
            Coordinate c = new Coordinate(vec, r.nextDouble(), r.nextDouble(-1, 1), r.nextDouble());
            assertThat(CoordinateCodec.decode(CoordinateCodec.encode(c))).isEqualTo(c);
        }
    }

    @Test
    void acceptsWhatGoAccepts() {
        // Go declaration order as an array: Vec, Error, Adjustment, Height; float32 and integers as numbers
        byte[] asArray = HEX.parseHex("01" + "94" + "92ca3f80000001" + "cb3ff8000000000000" + "00" + "c0");
        Coordinate c = CoordinateCodec.decode(asArray);
        assertThat(c).isEqualTo(new Coordinate(new double[] {1.0, 1.0}, 1.5, 0, 0));
        // unknown keys skipped, missing keys zero, trailing bytes ignored
        byte[] sparse = HEX.parseHex("0182a3466f6fc3a54572726f72cb3ff8000000000000ffff");
        assertThat(CoordinateCodec.decode(sparse)).isEqualTo(new Coordinate(new double[0], 1.5, 0, 0));
        // nil Vec is an empty vector (then refused by the client as incompatible)
        assertThat(CoordinateCodec.decode(HEX.parseHex("0181a3566563c0")).dimensionality()).isZero();
    }

    @Test
    void refusesOtherVersionsAndMalformedPayloads() {
        for (String hex : List.of("", "01", "00", "0284", "ff80", "0184", "0181a3566563a3616263", "0181a54572726f72a0",
                "0181a35665639fcb00", "0193")) {
            byte[] raw = HEX.parseHex(hex);
            assertThatThrownBy(() -> CoordinateCodec.decode(raw)).as(hex).isInstanceOf(DecodeException.class);
        }
        assertThatThrownBy(() -> CoordinateCodec.decode(HEX.parseHex("0280"))).hasMessageContaining("Unsupported ping version");
    }
}
