package serf.api.internal.msg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Go's regexp (RE2 syntax) on top of java.util.regex, for tag filters: {@code regexp.MatchString}
 * semantics, i.e. an unanchored search.
 *
 * <p>The syntax is that of the Go release the reference agent was built with (go1.19: no {@code (?<name>}).
 * The Go expression is parsed with RE2's grammar and rules, so whatever Go refuses (backreferences,
 * look-around, possessive and stacked quantifiers, unknown escapes and classes, repeat counts over
 * 1000) is refused here too, and then re-emitted as a Java pattern that means the same thing: every
 * literal escaped, classes spelled out with RE2's ASCII definitions ({@code \s} has no {@code \v},
 * POSIX {@code [:alpha:]}), {@code $} as end of text, {@code .} excluding only {@code \n}, {@code (?m)}
 * and {@code (?s)} as explicit assertions, {@code (?i)} as Unicode case folding, named groups as plain
 * groups, an opening brace as a literal where it does not start a repeat. Greediness ({@code (?U)}, lazy
 * quantifiers) does not change whether a match exists, so it is dropped.
 *
 * <p>RE2 runs in linear time; a backtracking engine does not, so each search has a step budget
 * and gives up (no match) when it is spent. Expressions longer than {@link #MAX_EXPR_CHARS} or
 * nested deeper than {@link #MAX_DEPTH} are refused. Compiled patterns are kept in a small LRU cache.
 * Thread-safe.
 */
public final class Re2 {

    /** Longest expression accepted (a query is normally at most 1 KiB in all). */
    static final int MAX_EXPR_CHARS = 16 * 1024;
    /** Deepest expression tree accepted (Go allows 1000; the Java engine recurses per level). */
    static final int MAX_DEPTH = 200;
    /** Characters a single search may examine before it is abandoned as a non-match. */
    static final long MATCH_STEPS = 10_000_000L;

    private static final int CACHE_SIZE = 64;
    private static final int MAX_REPEAT = 1000;

    private static final int FOLD = 1;     // (?i)
    private static final int MULTI = 2;    // (?m): ^ and $ at line boundaries
    private static final int DOT_NL = 4;   // (?s)
    private static final int UNGREEDY = 8; // (?U): parsed, irrelevant to whether a match exists

    private static final String ANY = "[\\x{0}-\\x{10FFFF}]";
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

    private static final ReentrantLock CACHE_LOCK = new ReentrantLock();
    private static final LinkedHashMap<String, Optional<Pattern>> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Pattern>> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private Re2() {
    }

    /** Go's {@code regexp.MatchString(expr, input)}; false (not an error) for an expression RE2 refuses. */
    public static boolean find(String expr, String input) {
        Optional<Pattern> p = compile(expr);
        if (p.isEmpty()) {
            return false;
        }
        try {
            return p.get().matcher(new Budgeted(input, MATCH_STEPS)).find();
        } catch (BudgetSpent | StackOverflowError e) {
            return false;
        }
    }

    /** The compiled form of an RE2 expression, empty if RE2 would refuse it. Cached. */
    public static Optional<Pattern> compile(String expr) {
        if (expr.length() > MAX_EXPR_CHARS) {
            return Optional.empty();
        }
        CACHE_LOCK.lock();
        try {
            Optional<Pattern> hit = CACHE.get(expr);
            if (hit != null) {
                return hit;
            }
        } finally {
            CACHE_LOCK.unlock();
        }
        Optional<Pattern> compiled = Optional.empty();
        String java = translate(expr);
        if (java != null) {
            try {
                compiled = Optional.of(Pattern.compile(java));
            } catch (IllegalArgumentException | StackOverflowError e) { // PatternSyntaxException included
                compiled = Optional.empty(); // something we emit but Java refuses: treat as refused
            }
        }
        CACHE_LOCK.lock();
        try {
            CACHE.put(expr, compiled);
        } finally {
            CACHE_LOCK.unlock();
        }
        return compiled;
    }

    /** The Java pattern for an RE2 expression, or null if RE2 refuses it (or it is beyond our limits). */
    static String translate(String expr) {
        if (expr.length() > MAX_EXPR_CHARS) {
            return null;
        }
        try {
            StringBuilder out = new StringBuilder(expr.length() * 2 + 16);
            new Parser(expr).parse().emit(out);
            return out.toString();
        } catch (Refused e) {
            return null;
        }
    }

    // ---- the expression tree --------------------------------------------------------------------

    private sealed interface Node {
        int depth();

        void emit(StringBuilder out);
    }

    /** One code point; {@code fold} = under (?i). */
    private record Lit(int cp, boolean fold) implements Node {
        public int depth() {
            return 1;
        }

        public void emit(StringBuilder out) {
            if (fold) {
                out.append("(?iu:");
                appendChar(out, cp);
                out.append(')');
            } else {
                appendChar(out, cp);
            }
        }
    }

    /** A character class: {@code items} is the inside of a Java [...] class. */
    private record Cls(String items, boolean negated, boolean fold) implements Node {
        public int depth() {
            return 1;
        }

        public void emit(StringBuilder out) {
            String positive = fold ? "(?iu:[" + items + "])" : "[" + items + "]";
            if (negated) {
                // Negate by look-ahead: Java's [^...] with nested classes and case folding has had quirks.
                out.append("(?:(?!").append(positive).append(')').append(ANY).append(')');
            } else {
                out.append(positive);
            }
        }
    }

    /** A fixed Java fragment (assertions, dot), already atomic. */
    private record Fixed(String java) implements Node {
        public int depth() {
            return 1;
        }

        public void emit(StringBuilder out) {
            out.append(java);
        }
    }

    private record Cat(List<Node> items, int depth) implements Node {
        /** Runs of folded literals share one group, so Java sees one string node, not a chain of groups. */
        public void emit(StringBuilder out) {
            boolean inFold = false;
            for (Node n : items) {
                if (n instanceof Lit l && l.fold()) {
                    if (!inFold) {
                        out.append("(?iu:");
                        inFold = true;
                    }
                    appendChar(out, l.cp());
                    continue;
                }
                if (inFold) {
                    out.append(')');
                    inFold = false;
                }
                n.emit(out);
            }
            if (inFold) {
                out.append(')');
            }
        }
    }

    private record Alt(List<Node> alternatives, int depth) implements Node {
        public void emit(StringBuilder out) {
            out.append("(?:");
            for (int i = 0; i < alternatives.size(); i++) {
                if (i > 0) {
                    out.append('|');
                }
                alternatives.get(i).emit(out);
            }
            out.append(')');
        }
    }

    /** Parentheses (capturing or not: captures do not matter to a yes/no search). */
    private record Grp(Node body, int depth) implements Node {
        public void emit(StringBuilder out) {
            out.append("(?:");
            body.emit(out);
            out.append(')');
        }
    }

    /** A repetition; {@code max} -1 = unbounded; {@code counted} = written with braces (Go's OpRepeat). */
    private record Rep(Node sub, int min, int max, boolean counted, int depth) implements Node {
        public void emit(StringBuilder out) {
            out.append("(?:");
            sub.emit(out);
            out.append(')');
            if (min == 0 && max == -1) {
                out.append('*');
            } else if (min == 1 && max == -1) {
                out.append('+');
            } else if (min == 0 && max == 1 && !counted) {
                out.append('?');
            } else if (max == -1) {
                out.append('{').append(min).append(",}");
            } else if (min == max) {
                out.append('{').append(min).append('}');
            } else {
                out.append('{').append(min).append(',').append(max).append('}');
            }
        }
    }

    private static void appendChar(StringBuilder out, int cp) {
        if ((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) {
            out.append((char) cp);
        } else {
            out.append("\\x{").append(Integer.toHexString(cp)).append('}');
        }
    }

    private static String classItem(int cp) {
        StringBuilder b = new StringBuilder(10);
        appendChar(b, cp);
        return b.toString();
    }

    // ---- the parser -----------------------------------------------------------------------------

    /** Thrown where Go's parser returns an error. No stack trace: refusals are routine. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused() {
            super(null, null, false, false);
        }
    }

    /** One open parenthesis: the alternatives so far, the one being built, the flags to restore. */
    private static final class Frame {
        final int savedFlags;
        final List<Node> alternatives = new ArrayList<>();
        List<Node> current = new ArrayList<>();

        Frame(int savedFlags) {
            this.savedFlags = savedFlags;
        }
    }

    /** RE2's parse (Go regexp/syntax with the Perl flags regexp.Compile uses), building a tree. */
    private static final class Parser {
        private final String s;
        private final int n;
        private final Deque<Frame> frames = new ArrayDeque<>();
        private int i;
        private int flags; // Perl mode starts with none of FOLD/MULTI/DOT_NL/UNGREEDY

        Parser(String s) {
            this.s = s;
            this.n = s.length();
            frames.push(new Frame(0));
        }

        Node parse() {
            boolean lastRepeat = false;
            while (i < n) {
                boolean repeat = false;
                char c = s.charAt(i);
                switch (c) {
                    case '(' -> {
                        if (i + 1 < n && s.charAt(i + 1) == '?') {
                            perlFlags();
                        } else {
                            open();
                            i++;
                        }
                    }
                    case '|' -> {
                        Frame f = frames.peek();
                        f.alternatives.add(concat(f.current));
                        f.current = new ArrayList<>();
                        i++;
                    }
                    case ')' -> {
                        if (frames.size() == 1) {
                            throw new Refused(); // unexpected )
                        }
                        Frame f = frames.pop();
                        flags = f.savedFlags;
                        Node body = finish(f);
                        push(new Grp(body, checkDepth(body.depth() + 1)));
                        i++;
                    }
                    case '^' -> {
                        push(new Fixed((flags & MULTI) != 0 ? "(?:\\A|(?<=\\n))" : "\\A"));
                        i++;
                    }
                    case '$' -> {
                        push(new Fixed((flags & MULTI) != 0 ? "(?=\\n|\\z)" : "\\z"));
                        i++;
                    }
                    case '.' -> {
                        push(new Fixed((flags & DOT_NL) != 0 ? ANY : "[^\\n]"));
                        i++;
                    }
                    case '[' -> parseClass();
                    case '*', '+', '?' -> {
                        i++;
                        int min = c == '+' ? 1 : 0;
                        int max = c == '?' ? 1 : -1;
                        repeat(min, max, false, lastRepeat);
                        repeat = true;
                    }
                    case '{' -> repeat = braces(lastRepeat);
                    case '\\' -> escape();
                    default -> {
                        int cp = s.codePointAt(i);
                        i += Character.charCount(cp);
                        literal(cp);
                    }
                }
                lastRepeat = repeat;
            }
            if (frames.size() != 1) {
                throw new Refused(); // missing )
            }
            return finish(frames.pop());
        }

        private void open() {
            if (frames.size() >= MAX_DEPTH / 2) {
                throw new Refused();
            }
            frames.push(new Frame(flags));
        }

        private void push(Node node) {
            frames.peek().current.add(node);
        }

        private void literal(int cp) {
            push(new Lit(cp, (flags & FOLD) != 0));
        }

        private static int checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw new Refused();
            }
            return depth;
        }

        private static Node concat(List<Node> items) {
            if (items.size() == 1) {
                return items.get(0);
            }
            int d = 0;
            for (Node x : items) {
                d = Math.max(d, x.depth());
            }
            return new Cat(List.copyOf(items), checkDepth(d + 1));
        }

        private static Node finish(Frame f) {
            Node last = concat(f.current);
            if (f.alternatives.isEmpty()) {
                return last;
            }
            List<Node> alts = new ArrayList<>(f.alternatives);
            alts.add(last);
            int d = 0;
            for (Node x : alts) {
                d = Math.max(d, x.depth());
            }
            return new Alt(List.copyOf(alts), checkDepth(d + 1));
        }

        /** Applies a repetition to the last item; {@code i} is just past the operator. */
        private void repeat(int min, int max, boolean counted, boolean lastRepeat) {
            if (i < n && s.charAt(i) == '?') {
                i++; // non-greedy: same yes/no answer
            }
            if (lastRepeat) {
                throw new Refused(); // a** or a*+: RE2 refuses stacked repetition
            }
            List<Node> cur = frames.peek().current;
            if (cur.isEmpty()) {
                throw new Refused(); // missing argument to repetition operator
            }
            Node sub = cur.remove(cur.size() - 1);
            Rep rep = new Rep(sub, min, max, counted, checkDepth(sub.depth() + 1));
            if (counted && (min >= 2 || max >= 2) && !repeatIsValid(rep, MAX_REPEAT)) {
                throw new Refused();
            }
            cur.add(rep);
        }

        /** RE2 caps the product of nested counted repetitions at 1000. */
        private static boolean repeatIsValid(Node re, int limit) {
            int n = limit;
            if (re instanceof Rep r && r.counted()) {
                int m = r.max();
                if (m == 0) {
                    return true;
                }
                if (m < 0) {
                    m = r.min();
                }
                if (m > n) {
                    return false;
                }
                if (m > 0) {
                    n /= m;
                }
            }
            int left = n;
            return switch (re) {
                case Cat c -> c.items().stream().allMatch(x -> repeatIsValid(x, left));
                case Alt a -> a.alternatives().stream().allMatch(x -> repeatIsValid(x, left));
                case Grp g -> repeatIsValid(g.body(), left);
                case Rep r -> repeatIsValid(r.sub(), left);
                default -> true;
            };
        }

        /** {@code {n}}, {@code {n,}} or {@code {n,m}}; anything else makes the brace a literal. Returns "was a repeat". */
        private boolean braces(boolean lastRepeat) {
            int j = i + 1;
            long[] min = parseInt(j);
            if (min == null) {
                literal('{');
                i++;
                return false;
            }
            j = (int) min[1];
            long max;
            if (j >= n) {
                literal('{');
                i++;
                return false;
            }
            if (s.charAt(j) != ',') {
                max = min[0];
            } else {
                j++;
                if (j >= n) {
                    literal('{');
                    i++;
                    return false;
                }
                if (s.charAt(j) == '}') {
                    max = -1;
                } else {
                    long[] mx = parseInt(j);
                    if (mx == null) {
                        literal('{');
                        i++;
                        return false;
                    }
                    max = mx[0];
                    j = (int) mx[1];
                    if (max < 0) {
                        min[0] = -1; // too big
                    }
                }
            }
            if (j >= n || s.charAt(j) != '}') {
                literal('{');
                i++;
                return false;
            }
            i = j + 1;
            long lo = min[0];
            if (lo < 0 || lo > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && lo > max)) {
                throw new Refused(); // invalid repeat count
            }
            repeat((int) lo, (int) max, true, lastRepeat);
            return true;
        }

        /** A decimal without leading zeros at {@code j}: {value (-1 if too big), end}, or null. */
        private long[] parseInt(int j) {
            if (j >= n || s.charAt(j) < '0' || s.charAt(j) > '9') {
                return null;
            }
            if (j + 1 < n && s.charAt(j) == '0' && s.charAt(j + 1) >= '0' && s.charAt(j + 1) <= '9') {
                return null;
            }
            long v = 0;
            int k = j;
            while (k < n && s.charAt(k) >= '0' && s.charAt(k) <= '9') {
                if (v >= 0) {
                    v = v >= 100_000_000L ? -1 : v * 10 + (s.charAt(k) - '0');
                }
                k++;
            }
            return new long[] {v, k};
        }

        /** At {@code (?}: named group, non-capturing group, or flags. */
        private void perlFlags() {
            // Only Python's (?P<name>: the reference agent's Go (1.19) predates (?<name> (Go 1.22).
            if (n - i > 4 && s.charAt(i + 2) == 'P' && s.charAt(i + 3) == '<') {
                int end = s.indexOf('>', i);
                if (end < 0) {
                    throw new Refused();
                }
                String name = s.substring(i + 4, end);
                if (name.isEmpty() || !name.chars().allMatch(ch -> ch == '_' || isAlnum(ch))) {
                    throw new Refused();
                }
                open();
                i = end + 1;
                return;
            }
            int j = i + 2;
            int f = flags;
            boolean negate = false;
            boolean sawFlag = false;
            while (j < n) {
                char c = s.charAt(j++);
                switch (c) {
                    case 'i', 'm', 's', 'U' -> {
                        int bit = switch (c) {
                            case 'i' -> FOLD;
                            case 'm' -> MULTI;
                            case 's' -> DOT_NL;
                            default -> UNGREEDY;
                        };
                        f = negate ? f & ~bit : f | bit;
                        sawFlag = true;
                    }
                    case '-' -> {
                        if (negate) {
                            throw new Refused();
                        }
                        negate = true;
                        sawFlag = false;
                    }
                    case ':', ')' -> {
                        if (negate && !sawFlag) {
                            throw new Refused();
                        }
                        if (c == ':') {
                            open(); // saves the flags from before the change
                        }
                        flags = f;
                        i = j;
                        return;
                    }
                    default -> throw new Refused(); // look-ahead, atomic groups, comments, Java-only flags
                }
            }
            throw new Refused();
        }

        /** At a backslash outside a class. */
        private void escape() {
            if (i + 1 < n) {
                switch (s.charAt(i + 1)) {
                    case 'A' -> {
                        push(new Fixed("\\A"));
                        i += 2;
                        return;
                    }
                    case 'b' -> {
                        push(new Fixed("\\b")); // ASCII word boundary, as RE2's
                        i += 2;
                        return;
                    }
                    case 'B' -> {
                        push(new Fixed("\\B"));
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
                        push(new Fixed("\\z"));
                        i += 2;
                        return;
                    }
                    case 'p', 'P' -> {
                        StringBuilder items = new StringBuilder();
                        unicodeClass(items);
                        push(new Cls(items.toString(), false, (flags & FOLD) != 0));
                        return;
                    }
                    default -> {
                        String perl = perlClass(s.charAt(i + 1));
                        if (perl != null) {
                            push(new Cls(perl, Character.isUpperCase(s.charAt(i + 1)), (flags & FOLD) != 0));
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
                positive = ANY.substring(1, ANY.length() - 1);
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
        private void parseClass() {
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
                items.append(classItem(lo));
                if (hi != lo) {
                    items.append('-').append(classItem(hi));
                }
            }
            i++; // ]
            if (i - start > MAX_EXPR_CHARS) {
                throw new Refused();
            }
            push(new Cls(items.toString(), negated, (flags & FOLD) != 0));
        }

        private int classChar() {
            if (s.charAt(i) == '\\') {
                return parseEscape();
            }
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            return cp;
        }

        private static boolean isAlnum(int c) {
            return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        }
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

    // ---- bounded search -------------------------------------------------------------------------

    private static final class BudgetSpent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetSpent() {
            super(null, null, false, false);
        }
    }

    /** The input as the matcher sees it: every character read costs one step of the budget. */
    private static final class Budgeted implements CharSequence {
        private final String text;
        private long left;

        Budgeted(String text, long budget) {
            this.text = text;
            this.left = budget;
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw new BudgetSpent();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
