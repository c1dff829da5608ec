package serf.wire.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import serf.wire.DecodeException;

/** One-shot recursive-descent parser over a String; depth is bounded by {@link JsonLimits}. */
final class JsonParser {

    private final String text;
    private final int maxDepth;
    private int pos;

    JsonParser(String text, JsonLimits limits) {
        this.text = text;
        this.maxDepth = limits.maxDepth();
        if (text.length() > limits.maxLength()) {
            throw new DecodeException(
                    "JSON input of " + text.length() + " chars exceeds the limit of " + limits.maxLength(),
                    limits.maxLength());
        }
    }

    Object parseDocument() {
        skipWhitespace();
        Object value = parseValue(0);
        skipWhitespace();
        if (pos < text.length()) {
            throw error("unexpected " + describe(text.charAt(pos)) + " after the top-level value");
        }
        return value;
    }

    private Object parseValue(int depth) {
        if (pos >= text.length()) {
            throw DecodeException.truncated("expected a JSON value", pos);
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> parseObject(depth + 1);
            case '[' -> parseArray(depth + 1);
            case '"' -> parseString();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield parseNumber();
                }
                throw error("unexpected " + describe(c) + " where a value was expected");
            }
        };
    }

    private Map<String, Object> parseObject(int depth) {
        checkDepth(depth);
        pos++; // '{'
        Map<String, Object> object = new LinkedHashMap<>();
        skipWhitespace();
        if (peekIs('}')) {
            pos++;
            return object;
        }
        while (true) {
            skipWhitespace();
            if (!peekIs('"')) {
                throw unexpected("a string key");
            }
            String key = parseString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            object.put(key, parseValue(depth));
            skipWhitespace();
            if (peekIs(',')) {
                pos++;
            } else if (peekIs('}')) {
                pos++;
                return object;
            } else {
                throw unexpected("',' or '}'");
            }
        }
    }

    private List<Object> parseArray(int depth) {
        checkDepth(depth);
        pos++; // '['
        List<Object> array = new ArrayList<>();
        skipWhitespace();
        if (peekIs(']')) {
            pos++;
            return array;
        }
        while (true) {
            skipWhitespace();
            array.add(parseValue(depth));
            skipWhitespace();
            if (peekIs(',')) {
                pos++;
            } else if (peekIs(']')) {
                pos++;
                return array;
            } else {
                throw unexpected("',' or ']'");
            }
        }
    }

    private String parseString() {
        int start = ++pos; // past the opening quote
        StringBuilder unescaped = null; // only allocated once an escape shows up
        int runStart = start;
        while (true) {
            if (pos >= text.length()) {
                throw DecodeException.truncated("unterminated string starting", start - 1);
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String result;
                if (unescaped == null) {
                    result = text.substring(start, pos);
                } else {
                    result = unescaped.append(text, runStart, pos).toString();
                }
                pos++;
                return result;
            }
            if (c < 0x20) {
                throw error("control character " + describe(c) + " in string");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (unescaped == null) {
                unescaped = new StringBuilder();
            }
            unescaped.append(text, runStart, pos);
            pos++; // the backslash
            if (pos >= text.length()) {
                throw DecodeException.truncated("escape sequence", pos - 1);
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"' -> unescaped.append('"');
                case '\\' -> unescaped.append('\\');
                case '/' -> unescaped.append('/');
                case 'b' -> unescaped.append('\b');
                case 'f' -> unescaped.append('\f');
                case 'n' -> unescaped.append('\n');
                case 'r' -> unescaped.append('\r');
                case 't' -> unescaped.append('\t');
                case 'u' -> appendUnicodeEscape(unescaped);
                default -> {
                    pos--;
                    throw error("invalid escape character " + describe(e));
                }
            }
            runStart = pos;
        }
    }

    /** After "\\u": appends the code unit, pairing surrogates; a lone surrogate becomes U+FFFD as in Go. */
    private void appendUnicodeEscape(StringBuilder out) {
        char unit = (char) readHex4();
        if (Character.isHighSurrogate(unit) && text.startsWith("\\u", pos)) {
            int save = pos;
            pos += 2;
            char low = (char) readHex4();
            if (Character.isLowSurrogate(low)) {
                out.append(unit).append(low);
                return;
            }
            pos = save; // not a pair: the next escape is decoded on its own
            out.append('\uFFFD');
            return;
        }
        out.append(Character.isSurrogate(unit) ? '\uFFFD' : unit);
    }

    private int readHex4() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (pos >= text.length()) {
                throw DecodeException.truncated("\\u escape", pos);
            }
            int digit = hexValue(text.charAt(pos));
            if (digit < 0) {
                throw error("invalid hex digit " + describe(text.charAt(pos)) + " in \\u escape");
            }
            value = value << 4 | digit;
            pos++;
        }
        return value;
    }

    /** ASCII hex only: Character.digit would also accept other scripts' digits. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private Object parseNumber() {
        int start = pos;
        if (peekIs('-')) {
            pos++;
        }
        if (peekIs('0')) {
            pos++;
        } else if (peekDigit()) {
            skipDigits();
        } else {
            throw unexpectedInNumber("a digit");
        }
        boolean integral = true;
        if (peekIs('.')) {
            integral = false;
            pos++;
            if (!peekDigit()) {
                throw unexpectedInNumber("a digit after '.'");
            }
            skipDigits();
        }
        if (peekIs('e') || peekIs('E')) {
            integral = false;
            pos++;
            if (peekIs('+') || peekIs('-')) {
                pos++;
            }
            if (!peekDigit()) {
                throw unexpectedInNumber("a digit in the exponent");
            }
            skipDigits();
        }
        String literal = text.substring(start, pos);
        // A long has at most 19 digits; anything longer cannot fit, so do not bother trying.
        if (integral && literal.length() <= 20) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException outOfRange) {
                // falls through to double, as Go's decoder into interface{} yields float64
            }
        }
        double value = Double.parseDouble(literal); // the grammar above already guarantees the syntax
        if (Double.isInfinite(value)) {
            throw new DecodeException("number " + abbreviate(literal) + " is out of range", start);
        }
        return value;
    }

    private Object literal(String word, Object value) {
        for (int i = 0; i < word.length(); i++) {
            if (pos + i >= text.length()) {
                throw DecodeException.truncated("literal " + word, pos + i);
            }
            if (text.charAt(pos + i) != word.charAt(i)) {
                pos += i;
                throw error("unexpected " + describe(text.charAt(pos)) + " in literal " + word);
            }
        }
        pos += word.length();
        return value;
    }

    private void checkDepth(int depth) {
        if (depth > maxDepth) {
            throw error("nesting deeper than " + maxDepth);
        }
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private void skipDigits() {
        while (peekDigit()) {
            pos++;
        }
    }

    private boolean peekDigit() {
        return pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9';
    }

    private boolean peekIs(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peekIs(c)) {
            throw unexpected("'" + c + "'");
        }
        pos++;
    }

    private DecodeException unexpected(String expected) {
        if (pos >= text.length()) {
            return DecodeException.truncated("expected " + expected, pos);
        }
        return error("expected " + expected + " but found " + describe(text.charAt(pos)));
    }

    private DecodeException unexpectedInNumber(String expected) {
        if (pos >= text.length()) {
            return DecodeException.truncated("number, expected " + expected, pos);
        }
        return error("malformed number: expected " + expected + " but found " + describe(text.charAt(pos)));
    }

    private DecodeException error(String message) {
        return new DecodeException("invalid JSON: " + message, pos);
    }

    private static String describe(char c) {
        if (c >= 0x20 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
