package serf.api.internal.msg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** RE2's parse (Go regexp/syntax with the Perl flags regexp.Compile uses), building a tree. */
final class Re2Parser extends Re2Scanner {
    private static final int MAX_REPEAT = 1000;

    /** One open parenthesis: the alternatives so far, the one being built, the flags to restore. */
    private static final class Frame {
        final int savedFlags;
        final List<Re2Node> alternatives = new ArrayList<>();
        List<Re2Node> current = new ArrayList<>();

        Frame(int savedFlags) {
            this.savedFlags = savedFlags;
        }
    }

    private final Deque<Frame> frames = new ArrayDeque<>();

    Re2Parser(String s) {
        super(s);
        frames.push(new Frame(0));
    }

    Re2Node parse() {
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
                    Re2Node body = finish(f);
                    push(new Re2Node.Grp(body, checkDepth(body.depth() + 1)));
                    i++;
                }
                case '^' -> {
                    push(new Re2Node.Fixed((flags & MULTI) != 0 ? "(?:\\A|(?<=\\n))" : "\\A"));
                    i++;
                }
                case '$' -> {
                    push(new Re2Node.Fixed((flags & MULTI) != 0 ? "(?=\\n|\\z)" : "\\z"));
                    i++;
                }
                case '.' -> {
                    push(new Re2Node.Fixed((flags & DOT_NL) != 0 ? Re2Node.ANY : "[^\\n]"));
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
        if (frames.size() >= Re2.MAX_DEPTH / 2) {
            throw new Refused();
        }
        frames.push(new Frame(flags));
    }

    @Override
    void push(Re2Node node) {
        frames.peek().current.add(node);
    }

    private static int checkDepth(int depth) {
        if (depth > Re2.MAX_DEPTH) {
            throw new Refused();
        }
        return depth;
    }

    private static Re2Node concat(List<Re2Node> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        int d = 0;
        for (Re2Node x : items) {
            d = Math.max(d, x.depth());
        }
        return new Re2Node.Cat(List.copyOf(items), checkDepth(d + 1));
    }

    private static Re2Node finish(Frame f) {
        Re2Node last = concat(f.current);
        if (f.alternatives.isEmpty()) {
            return last;
        }
        List<Re2Node> alts = new ArrayList<>(f.alternatives);
        alts.add(last);
        int d = 0;
        for (Re2Node x : alts) {
            d = Math.max(d, x.depth());
        }
        return new Re2Node.Alt(List.copyOf(alts), checkDepth(d + 1));
    }

    /** Applies a repetition to the last item; {@code i} is just past the operator. */
    private void repeat(int min, int max, boolean counted, boolean lastRepeat) {
        if (i < n && s.charAt(i) == '?') {
            i++; // non-greedy: same yes/no answer
        }
        if (lastRepeat) {
            throw new Refused(); // a** or a*+: RE2 refuses stacked repetition
        }
        List<Re2Node> cur = frames.peek().current;
        if (cur.isEmpty()) {
            throw new Refused(); // missing argument to repetition operator
        }
        Re2Node sub = cur.remove(cur.size() - 1);
        Re2Node.Rep rep = new Re2Node.Rep(sub, min, max, counted, checkDepth(sub.depth() + 1));
        if (counted && (min >= 2 || max >= 2) && !repeatIsValid(rep, MAX_REPEAT)) {
            throw new Refused();
        }
        cur.add(rep);
    }

    /** RE2 caps the product of nested counted repetitions at 1000. */
    private static boolean repeatIsValid(Re2Node re, int limit) {
        int n = limit;
        if (re instanceof Re2Node.Rep r && r.counted()) {
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
            case Re2Node.Cat c -> c.items().stream().allMatch(x -> repeatIsValid(x, left));
            case Re2Node.Alt a -> a.alternatives().stream().allMatch(x -> repeatIsValid(x, left));
            case Re2Node.Grp g -> repeatIsValid(g.body(), left);
            case Re2Node.Rep r -> repeatIsValid(r.sub(), left);
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

}
