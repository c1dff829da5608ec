package serf.api.internal.msg;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cursor over an RE2 expression and the atoms read at it: escapes ({@code \x{..}}, octal, Perl
 * classes, {@code \Q..\E}, {@code \p{..}}) and bracketed classes, each re-spelled as Java class items
 * with RE2's ASCII definitions. {@link Re2Parser} adds the structure (groups, alternation, repetition,
 * flags) on top; whatever RE2 refuses throws {@link Refused}.
 */
abstract class Re2Scanner {
    static final int FOLD = 1;     // (?i)
    static final int MULTI = 2;    // (?m): ^ and $ at line boundaries
    static final int DOT_NL = 4;   // (?s)
    static final int UNGREEDY = 8; // (?U): parsed, irrelevant to whether a match exists

    private static final String PERL_DIGIT = "0-9";
    private static final String PERL_SPACE = "\\x{9}\\x{A}\\x{C}\\x{D}\\x{20}";
    private static final String PERL_WORD = "0-9A-Za-z\\x{5F}";
    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alnum", "0-9A-Za-z"),
            Map.entry("alpha", "A-Za-z"),
            Map.entry("ascii", "\\x{0}-\\x{7F}"),
            Map.entry("blank", "\\x{9}\\x{20}"),
            Map.entry("cntrl", "\\x{0}-\\x{1F}\\x{7F}"),
            Map.entry("digit", "0-9"),
            Map.entry("graph", "\\x{21}-\\x{7E}"),
            Map.entry("lower", "a-z"),
            Map.entry("print", "\\x{20}-\\x{7E}"),
            Map.entry("punct", "\\x{21}-\\x{2F}\\x{3A}-\\x{40}\\x{5B}-\\x{60}\\x{7B}-\\x{7E}"),
            Map.entry("space", "\\x{9}-\\x{D}\\x{20}"),
            Map.entry("upper", "A-Z"),
            Map.entry("word", PERL_WORD),
            Map.entry("xdigit", "0-9A-Fa-f"));
    /** Go's unicode.Categories (Go's C excludes unassigned code points, Java's does not). */
    private static final Map<String, String> CATEGORIES = categories();

    final String s;
    final int n;
    /** Index of the next character to read. */
    int i;
    /** The FOLD/MULTI/DOT_NL/UNGREEDY flags in force; Perl mode starts with none. */
    int flags;

    Re2Scanner(String s) {
        this.s = s;
        this.n = s.length();
    }

    /** Adds a finished atom to the expression being built. */
    abstract void push(Re2Node node);

    /** Adds one literal code point under the current flags. */
    final void literal(int cp) {
        push(new Re2Node.Lit(cp, (flags & FOLD) != 0));
    }

    /** Thrown where Go's parser returns an error. No stack trace: refusals are routine. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused() {
            super(null, null, false, false);
        }
    }

    /** At a backslash outside a class. */
    final void escape() {
        if (i + 1 < n) {
            switch (s.charAt(i + 1)) {
                case 'A' -> {
                    push(new Re2Node.Fixed("\\A"));
                    i += 2;
                    return;
                }
                case 'b' -> {
                    push(new Re2Node.Fixed("\\b")); // ASCII word boundary, as RE2's
                    i += 2;
                    return;
                }
                case 'B' -> {
                    push(new Re2Node.Fixed("\\B"));
                    i += 2;
                    return;
                }
                case 'C' -> throw new Refused(); // any byte: unsupported
                case 'Q' -> {
                    int end = s.indexOf("\\E", i + 2);
                    String lit = end < 0 ? s.substring(i + 2) : s.substring(i + 2, end);
                    i = end < 0 ? n : end + 2;
                    lit.codePoints().forEach(this::literal);
                    return;
                }
                case 'z' -> {
                    push(new Re2Node.Fixed("\\z"));
                    i += 2;
                    return;
                }
                case 'p', 'P' -> {
                    StringBuilder items = new StringBuilder();
                    unicodeClass(items);
                    push(new Re2Node.Cls(items.toString(), false, (flags & FOLD) != 0));
                    return;
                }
                default -> {
                    String perl = perlClass(s.charAt(i + 1));
                    if (perl != null) {
                        push(new Re2Node.Cls(perl, Character.isUpperCase(s.charAt(i + 1)), (flags & FOLD) != 0));
                        i += 2;
                        return;
                    }
                }
            }
        }
        literal(parseEscape());
    }

    /** The set of \d, \s, \w (also for their upper-case negations), or null. */
    private static String perlClass(char c) {
        return switch (c) {
            case 'd', 'D' -> PERL_DIGIT;
            case 's', 'S' -> PERL_SPACE;
            case 'w', 'W' -> PERL_WORD;
            default -> null;
        };
    }

    /** A single-character escape at {@code i} (a backslash); returns the code point. */
    private int parseEscape() {
        if (i + 1 >= n) {
            throw new Refused(); // trailing backslash
        }
        int c = s.codePointAt(i + 1);
        i += 1 + Character.charCount(c);
        switch (c) {
            case '1', '2', '3', '4', '5', '6', '7' -> {
                if (i >= n || s.charAt(i) < '0' || s.charAt(i) > '7') {
                    throw new Refused(); // a backreference
                }
                return octal(c - '0');
            }
            case '0' -> {
                return octal(0);
            }
            case 'x' -> {
                return hex();
            }
            case 'a' -> {
                return 7;
            }
            case 'f' -> {
                return '\f';
            }
            case 'n' -> {
                return '\n';
            }
            case 'r' -> {
                return '\r';
            }
            case 't' -> {
                return '\t';
            }
            case 'v' -> {
                return 0x0B;
            }
            default -> {
                if (c < 0x80 && !isAlnum(c)) {
                    return c; // escaped punctuation is itself
                }
                throw new Refused();
            }
        }
    }

    /** Up to two more octal digits after the first. */
    private int octal(int first) {
        int r = first;
        for (int k = 1; k < 3 && i < n && s.charAt(i) >= '0' && s.charAt(i) <= '7'; k++) {
            r = r * 8 + (s.charAt(i) - '0');
            i++;
        }
        return r;
    }

    /** After {@code \x}: two hex digits, or {@code {digits}} up to U+10FFFF. */
    private int hex() {
        if (i >= n) {
            throw new Refused();
        }
        if (s.charAt(i) == '{') {
            i++;
            int r = 0;
            int digits = 0;
            while (true) {
                if (i >= n) {
                    throw new Refused();
                }
                char c = s.charAt(i++);
                if (c == '}') {
                    break;
                }
                int v = hexDigit(c);
                if (v < 0) {
                    throw new Refused();
                }
                r = r * 16 + v;
                if (r > Character.MAX_CODE_POINT) {
                    throw new Refused();
                }
                digits++;
            }
            if (digits == 0) {
                throw new Refused();
            }
            return r;
        }
        if (i + 1 >= n) {
            throw new Refused();
        }
        int x = hexDigit(s.charAt(i));
        int y = hexDigit(s.charAt(i + 1));
        if (x < 0 || y < 0) {
            throw new Refused();
        }
        i += 2;
        return x * 16 + y;
    }

    private static int hexDigit(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    /** At {@code \p} or {@code \P}: appends the Java class items for that Unicode class. */
    private void unicodeClass(StringBuilder items) {
        boolean negative = s.charAt(i + 1) == 'P';
        int k = i + 2;
        String name;
        if (k >= n) {
            throw new Refused();
        }
        if (s.charAt(k) != '{') {
            int cp = s.codePointAt(k);
            name = new String(Character.toChars(cp));
            i = k + Character.charCount(cp);
        } else {
            int end = s.indexOf('}', i);
            if (end < 0) {
                throw new Refused();
            }
            name = s.substring(k + 1, end);
            i = end + 1;
        }
        if (!name.isEmpty() && name.charAt(0) == '^') {
            negative = !negative;
            name = name.substring(1);
        }
        String positive;
        if (name.equals("Any")) {
            positive = Re2Node.ANY.substring(1, Re2Node.ANY.length() - 1);
        } else if (CATEGORIES.containsKey(name)) {
            positive = CATEGORIES.get(name);
        } else {
            String script = scriptName(name);
            if (script == null) {
                throw new Refused(); // unknown class name
            }
            positive = "\\p{sc=" + script + "}";
        }
        items.append(negative ? "[^" + positive + "]" : positive);
    }

    /** The Java constant of the Unicode script Go calls {@code name}, or null. */
    private static String scriptName(String name) {
        if (name.isEmpty() || !name.chars().allMatch(ch -> ch == '_' || (ch < 0x80 && Character.isLetter(ch)))) {
            return null;
        }
        String constant = name.toUpperCase(Locale.ROOT);
        Character.UnicodeScript script;
        try {
            script = Character.UnicodeScript.valueOf(constant);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (script == Character.UnicodeScript.UNKNOWN) {
            return null;
        }
        // Go's names are the Unicode ones: Title_Case words (plus the odd "SignWriting").
        StringBuilder go = new StringBuilder();
        for (String word : constant.split("_", -1)) {
            if (!go.isEmpty()) {
                go.append('_');
            }
            if (!word.isEmpty()) {
                go.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        boolean matches = go.toString().equals(name) || (name.equals("SignWriting") && constant.equals("SIGNWRITING"));
        return matches ? script.name() : null;
    }

    /** At {@code [}: a bracketed class. */
    final void parseClass() {
        int start = i;
        i++;
        boolean negated = false;
        if (i < n && s.charAt(i) == '^') {
            negated = true;
            i++;
        }
        StringBuilder items = new StringBuilder();
        boolean first = true;
        while (i >= n || s.charAt(i) != ']' || first) {
            if (i >= n) {
                throw new Refused(); // missing ]
            }
            first = false;
            if (n - i > 2 && s.charAt(i) == '[' && s.charAt(i + 1) == ':') {
                int end = s.indexOf(":]", i + 2);
                if (end >= 0) {
                    String name = s.substring(i + 2, end);
                    boolean neg = name.startsWith("^");
                    String set = POSIX.get(neg ? name.substring(1) : name);
                    if (set == null) {
                        throw new Refused(); // unknown POSIX class
                    }
                    items.append(neg ? "[^" + set + "]" : set);
                    i = end + 2;
                    continue;
                }
            }
            if (s.charAt(i) == '\\' && i + 1 < n && (s.charAt(i + 1) == 'p' || s.charAt(i + 1) == 'P')) {
                unicodeClass(items);
                continue;
            }
            if (s.charAt(i) == '\\' && i + 1 < n && perlClass(s.charAt(i + 1)) != null) {
                String set = perlClass(s.charAt(i + 1));
                items.append(Character.isUpperCase(s.charAt(i + 1)) ? "[^" + set + "]" : set);
                i += 2;
                continue;
            }
            int lo = classChar();
            int hi = lo;
            if (n - i >= 2 && s.charAt(i) == '-' && s.charAt(i + 1) != ']') {
                i++;
                hi = classChar();
                if (hi < lo) {
                    throw new Refused(); // invalid range
                }
            }
            items.append(Re2Node.classItem(lo));
            if (hi != lo) {
                items.append('-').append(Re2Node.classItem(hi));
            }
        }
        i++; // ]
        if (i - start > Re2.MAX_EXPR_CHARS) {
            throw new Refused();
        }
        push(new Re2Node.Cls(items.toString(), negated, (flags & FOLD) != 0));
    }

    private int classChar() {
        if (s.charAt(i) == '\\') {
            return parseEscape();
        }
        int cp = s.codePointAt(i);
        i += Character.charCount(cp);
        return cp;
    }

    static boolean isAlnum(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static Map<String, String> categories() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String c : List.of("Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
                "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
                "Z", "Zl", "Zp", "Zs")) {
            m.put(c, "\\p{" + c + "}");
        }
        m.put("C", "\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}");
        return Map.copyOf(m);
    }
}
