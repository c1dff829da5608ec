package serf.agent.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import serf.agent.internal.GoText;

/**
 * JSON decoding into plain values ({@code LinkedHashMap<String,Object>}, {@code ArrayList<Object>},
 * {@code String}, {@code Double}, {@code Boolean}, {@code null}) the way Go's {@code encoding/json}
 * decodes into {@code interface{}}, with Go's error texts, so that the agent reports a broken config
 * or tags file exactly as the Go agent does ({@code invalid character '}' looking for beginning of
 * object key string}, {@code unexpected EOF}, …).
 *
 * <p>Two entry points mirror Go's two ways of reading: {@link #decodeFirst} is {@code json.Decoder.Decode}
 * (the first value only; whatever follows it is never looked at; {@code EOF} for blank input), and
 * {@link #unmarshal} is {@code json.Unmarshal} (the whole input must be one value). Invalid UTF-8 in
 * strings becomes U+FFFD per bad byte and lone surrogate escapes become U+FFFD, as in Go. Nesting is
 * limited to Go's 10000 levels and the parser is iterative, so deep input cannot exhaust the stack.
 */
final class GoJson {

    /** Go's scanner refuses more nesting than this. */
    static final int MAX_DEPTH = 10_000;

    /** A JSON input Go would refuse; the message is Go's error text. */
    static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    private final byte[] data;
    private final boolean whole;
    private int p;
    private String numberError;

    private GoJson(byte[] data, boolean whole) {
        this.data = data;
        this.whole = whole;
    }

    /** {@code json.NewDecoder(r).Decode(&v)}: the first JSON value of {@code data}. */
    static Object decodeFirst(byte[] data) throws JsonException {
        return new GoJson(data, false).run();
    }

    /** {@code json.Unmarshal(data, &v)}: {@code data} must be exactly one JSON value (plus whitespace). */
    static Object unmarshal(byte[] data) throws JsonException {
        return new GoJson(data, true).run();
    }

    private Object run() throws JsonException {
        skipSpace();
        if (p == data.length) {
            if (whole) {
                throw new JsonException("unexpected end of JSON input");
            }
            throw new JsonException("EOF");
        }
        Object value = parseValue();
        if (whole) {
            skipSpace();
            if (p < data.length) {
                throw syntax(data[p] & 0xFF, "after top-level value");
            }
        }
        if (numberError != null) {
            throw new JsonException(numberError);
        }
        return value;
    }

    /** An open object or array while parsing. */
    private static final class Frame {
        final Map<String, Object> map;
        final List<Object> list;
        String key;

        Frame(Map<String, Object> map, List<Object> list) {
            this.map = map;
            this.list = list;
        }
    }

    private Object parseValue() throws JsonException {
        Deque<Frame> stack = new ArrayDeque<>();
        while (true) {
            // expecting the beginning of a value
            skipSpace();
            if (p == data.length) {
                throw eof(null);
            }
            int c = data[p] & 0xFF;
            Object value;
            boolean haveValue = true;
            switch (c) {
                case '{' -> {
                    push(stack, c);
                    p++;
                    Frame f = new Frame(new LinkedHashMap<>(), null);
                    stack.push(f);
                    skipSpace();
                    if (p == data.length) {
                        throw eof(null);
                    }
                    if (data[p] == '}') {
                        p++;
                        stack.pop();
                        value = f.map;
                    } else {
                        f.key = parseKey();
                        haveValue = false;
                        value = null;
                    }
                }
                case '[' -> {
                    push(stack, c);
                    p++;
                    Frame f = new Frame(null, new ArrayList<>());
                    stack.push(f);
                    skipSpace();
                    if (p == data.length) {
                        throw eof(null);
                    }
                    if (data[p] == ']') {
                        p++;
                        stack.pop();
                        value = f.list;
                    } else {
                        haveValue = false;
                        value = null;
                    }
                }
                case '"' -> value = parseString();
                case 't' -> value = literal("true", Boolean.TRUE);
                case 'f' -> value = literal("false", Boolean.FALSE);
                case 'n' -> value = literal("null", null);
                default -> {
                    if (c == '-' || ('0' <= c && c <= '9')) {
                        value = parseNumber();
                    } else {
                        throw syntax(c, "looking for beginning of value");
                    }
                }
            }
            if (!haveValue) {
                continue; // a container was opened: read its first element
            }
            // a complete value: store it and close what it completes
            while (true) {
                if (stack.isEmpty()) {
                    return value;
                }
                Frame top = stack.peek();
                if (top.map != null) {
                    top.map.put(top.key, value);
                } else {
                    top.list.add(value);
                }
                skipSpace();
                if (p == data.length) {
                    throw eof(null);
                }
                int e = data[p] & 0xFF;
                if (e == ',') {
                    p++;
                    if (top.map != null) {
                        skipSpace();
                        if (p == data.length) {
                            throw eof(null);
                        }
                        top.key = parseKey();
                    }
                    break; // read the next value
                }
                if (top.map != null && e == '}') {
                    p++;
                    stack.pop();
                    value = top.map;
                    continue;
                }
                if (top.list != null && e == ']') {
                    p++;
                    stack.pop();
                    value = top.list;
                    continue;
                }
                throw syntax(e, top.map != null ? "after object key:value pair" : "after array element");
            }
        }
    }

    private void push(Deque<Frame> stack, int c) throws JsonException {
        if (stack.size() + 1 > MAX_DEPTH) {
            throw syntax(c, "exceeded max depth");
        }
    }

    /** At a key: the string, the colon, ready for the value. */
    private String parseKey() throws JsonException {
        int c = data[p] & 0xFF;
        if (c != '"') {
            throw syntax(c, "looking for beginning of object key string");
        }
        String key = parseString();
        skipSpace();
        if (p == data.length) {
            throw eof(null);
        }
        if (data[p] != ':') {
            throw syntax(data[p] & 0xFF, "after object key");
        }
        p++;
        return key;
    }

    private Object literal(String word, Object value) throws JsonException {
        p++;
        for (int i = 1; i < word.length(); i++) {
            String context = "in literal " + word + " (expecting " + GoText.quoteByte(word.charAt(i)) + ")";
            if (p == data.length) {
                throw eof(context);
            }
            int c = data[p] & 0xFF;
            if (c != word.charAt(i)) {
                throw syntax(c, context);
            }
            p++;
        }
        return value;
    }

    private Object parseNumber() throws JsonException {
        int start = p;
        if (data[p] == '-') {
            p++;
            if (p == data.length) {
                throw eof("in numeric literal");
            }
            int c = data[p] & 0xFF;
            if (!('0' <= c && c <= '9')) {
                throw syntax(c, "in numeric literal");
            }
        }
        if (data[p] == '0') {
            p++;
        } else {
            while (p < data.length && isDigit(data[p])) {
                p++;
            }
        }
        if (p < data.length && data[p] == '.') {
            p++;
            if (p == data.length) {
                throw eof("after decimal point in numeric literal");
            }
            if (!isDigit(data[p])) {
                throw syntax(data[p] & 0xFF, "after decimal point in numeric literal");
            }
            while (p < data.length && isDigit(data[p])) {
                p++;
            }
        }
        if (p < data.length && (data[p] == 'e' || data[p] == 'E')) {
            p++;
            if (p < data.length && (data[p] == '+' || data[p] == '-')) {
                p++;
            }
            if (p == data.length) {
                throw eof("in exponent of numeric literal");
            }
            if (!isDigit(data[p])) {
                throw syntax(data[p] & 0xFF, "in exponent of numeric literal");
            }
            while (p < data.length && isDigit(data[p])) {
                p++;
            }
        }
        String text = new String(data, start, p - start, java.nio.charset.StandardCharsets.US_ASCII);
        double d = Double.parseDouble(text);
        if (Double.isInfinite(d)) {
            if (numberError == null) {
                numberError = "json: cannot unmarshal number " + text + " into Go value of type float64";
            }
            return 0.0;
        }
        return d;
    }

    private static boolean isDigit(byte b) {
        return '0' <= b && b <= '9';
    }

    private String parseString() throws JsonException {
        p++; // opening quote
        StringBuilder b = new StringBuilder();
        while (true) {
            if (p == data.length) {
                throw eof(null);
            }
            int c = data[p] & 0xFF;
            if (c == '"') {
                p++;
                return b.toString();
            }
            if (c < 0x20) {
                throw syntax(c, "in string literal");
            }
            if (c == '\\') {
                p++;
                if (p == data.length) {
                    throw eof("in string escape code");
                }
                int e = data[p] & 0xFF;
                p++;
                switch (e) {
                    case '"' -> b.append('"');
                    case '\\' -> b.append('\\');
                    case '/' -> b.append('/');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        int r = hex4();
                        if (Character.isHighSurrogate((char) r) && p + 1 < data.length && data[p] == '\\' && data[p + 1] == 'u') {
                            int save = p;
                            p += 2;
                            int r2 = hex4();
                            if (Character.isLowSurrogate((char) r2)) {
                                b.append((char) r).append((char) r2);
                            } else {
                                b.append('\uFFFD');
                                p = save; // the second escape is decoded on its own
                            }
                        } else if (r >= 0xD800 && r <= 0xDFFF) {
                            b.append('\uFFFD');
                        } else {
                            b.append((char) r);
                        }
                    }
                    default -> throw syntax(e, "in string escape code");
                }
                continue;
            }
            if (c < 0x80) {
                b.append((char) c);
                p++;
                continue;
            }
            p += appendUtf8(b, data, p);
        }
    }

    private int hex4() throws JsonException {
        int r = 0;
        for (int i = 0; i < 4; i++) {
            if (p == data.length) {
                throw eof("in \\u hexadecimal character escape");
            }
            int c = data[p] & 0xFF;
            int v = Character.digit(c, 16);
            if (v < 0 || c > 'f') {
                throw syntax(c, "in \\u hexadecimal character escape");
            }
            r = r << 4 | v;
            p++;
        }
        return r;
    }

    /**
     * Decodes one UTF-8 sequence at {@code i} like Go's {@code utf8.DecodeRune} (no overlong forms,
     * no surrogates, at most U+10FFFF); an invalid byte becomes U+FFFD and consumes one byte.
     */
    static int appendUtf8(StringBuilder b, byte[] s, int i) {
        int c0 = s[i] & 0xFF;
        int n;
        int min;
        int cp;
        if (c0 >= 0xC2 && c0 <= 0xDF) {
            n = 2;
            min = 0x80;
            cp = c0 & 0x1F;
        } else if (c0 >= 0xE0 && c0 <= 0xEF) {
            n = 3;
            min = 0x800;
            cp = c0 & 0x0F;
        } else if (c0 >= 0xF0 && c0 <= 0xF4) {
            n = 4;
            min = 0x10000;
            cp = c0 & 0x07;
        } else {
            b.append('\uFFFD');
            return 1;
        }
        if (i + n > s.length) {
            b.append('\uFFFD');
            return 1;
        }
        for (int k = 1; k < n; k++) {
            int ck = s[i + k] & 0xFF;
            if ((ck & 0xC0) != 0x80) {
                b.append('\uFFFD');
                return 1;
            }
            cp = cp << 6 | (ck & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            b.append('\uFFFD');
            return 1;
        }
        b.appendCodePoint(cp);
        return n;
    }

    private void skipSpace() {
        while (p < data.length) {
            byte c = data[p];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                p++;
            } else {
                return;
            }
        }
    }

    private static JsonException syntax(int c, String context) {
        return new JsonException("invalid character " + GoText.quoteByte(c) + " " + context);
    }

    /**
     * The input ended inside a value. A stream decoder says {@code unexpected EOF}; {@code Unmarshal}
     * feeds its scanner one space, so a half-read token reports that space ({@code context}).
     */
    private JsonException eof(String context) {
        if (!whole) {
            return new JsonException("unexpected EOF");
        }
        if (context != null) {
            return syntax(' ', context);
        }
        return new JsonException("unexpected end of JSON input");
    }
}
