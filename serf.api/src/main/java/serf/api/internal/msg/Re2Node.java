package serf.api.internal.msg;

import java.util.List;

/**
 * The tree {@link Re2Parser} builds from an RE2 expression, and its re-emission as an equivalent
 * java.util.regex pattern. {@link #depth()} bounds how deeply the Java engine will recurse.
 */
sealed interface Re2Node {
    /** Java class for any code point at all. */
    String ANY = "[\\x{0}-\\x{10FFFF}]";

    /** {@return the height of this subtree} */
    int depth();

    /** Appends the Java pattern for this subtree. */
    void emit(StringBuilder out);

    /** One code point; {@code fold} = under (?i). */
    record Lit(int cp, boolean fold) implements Re2Node {
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
    record Cls(String items, boolean negated, boolean fold) implements Re2Node {
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
    record Fixed(String java) implements Re2Node {
        public int depth() {
            return 1;
        }

        public void emit(StringBuilder out) {
            out.append(java);
        }
    }

    record Cat(List<Re2Node> items, int depth) implements Re2Node {
        /** Runs of folded literals share one group, so Java sees one string node, not a chain of groups. */
        public void emit(StringBuilder out) {
            boolean inFold = false;
            for (Re2Node n : items) {
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

    record Alt(List<Re2Node> alternatives, int depth) implements Re2Node {
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
    record Grp(Re2Node body, int depth) implements Re2Node {
        public void emit(StringBuilder out) {
            out.append("(?:");
            body.emit(out);
            out.append(')');
        }
    }

    /** A repetition; {@code max} -1 = unbounded; {@code counted} = written with braces (Go's OpRepeat). */
    record Rep(Re2Node sub, int min, int max, boolean counted, int depth) implements Re2Node {
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

    static void appendChar(StringBuilder out, int cp) {
        if ((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) {
            out.append((char) cp);
        } else {
            out.append("\\x{").append(Integer.toHexString(cp)).append('}');
        }
    }

    static String classItem(int cp) {
        StringBuilder b = new StringBuilder(10);
        appendChar(b, cp);
        return b.toString();
    }
}
