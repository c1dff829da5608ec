package serf.wire.json;

import java.util.Objects;
import serf.wire.DecodeException;

/**
 * A small RFC 8259 JSON reader and a writer whose output matches Go's {@code encoding/json}.
 *
 * <p>Parsing yields plain JDK values: objects become {@code LinkedHashMap<String,Object>} (in document
 * order; a repeated key keeps its first position and its last value, as Go does), arrays become
 * {@code ArrayList<Object>}, strings {@code String}, numbers {@code Long} when written without fraction
 * or exponent and within range, otherwise {@code Double}, booleans {@code Boolean}, and {@code null}.
 * Every malformed, too deep or too long input raises {@link DecodeException} with the char offset.
 *
 * <p>Writing accepts {@code Map} (String keys, iteration order kept), {@code Collection}, {@code Object[]},
 * {@code String}, {@code Number}, {@code Boolean}, {@code null} and {@code byte[]} (standard base64, as Go
 * encodes {@code []byte}). Strings are escaped exactly as Go does by default, including {@code <}, {@code >}
 * and {@code &}. Other types, non-String map keys, NaN/infinite numbers and cycles raise
 * {@link IllegalArgumentException}.
 *
 * <p>All methods are stateless and thread-safe.
 */
public final class Json {

    private Json() {
    }

    /**
     * Parses {@code text} with {@link JsonLimits#DEFAULT}.
     *
     * @param text the JSON text
     * @return the value: a Map, List, String, Long, Double, Boolean or null (see the class comment)
     */
    public static Object parse(String text) {
        return parse(text, JsonLimits.DEFAULT);
    }

    /**
     * Parses one JSON value surrounded by optional whitespace; anything after it is an error.
     *
     * @param text the JSON text
     * @param limits the nesting and size bounds
     * @return the value: a Map, List, String, Long, Double, Boolean or null (see the class comment)
     */
    public static Object parse(String text, JsonLimits limits) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(limits, "limits");
        return new JsonParser(text, limits).parseDocument();
    }

    /**
     * Compact JSON, as Go's {@code json.Marshal}.
     *
     * @param value a Map, Collection, Object[], String, Number, Boolean, byte[] or null (see the class comment)
     * @return compact JSON text
     */
    public static String write(Object value) {
        return JsonWriter.write(value, null);
    }

    /**
     * Indented JSON, as Go's {@code json.MarshalIndent(v, "", "  ")}: no trailing newline.
     *
     * @param value a Map, Collection, Object[], String, Number, Boolean, byte[] or null (see the class comment)
     * @return indented JSON text
     */
    public static String writePretty(Object value) {
        return JsonWriter.write(value, "  ");
    }
}
