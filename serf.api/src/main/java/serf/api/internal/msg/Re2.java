package serf.api.internal.msg;

import java.util.LinkedHashMap;
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
            new Re2Parser(expr).parse().emit(out);
            return out.toString();
        } catch (Re2Scanner.Refused e) {
            return null;
        }
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
