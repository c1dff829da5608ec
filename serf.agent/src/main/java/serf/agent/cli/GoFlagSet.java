package serf.agent.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import serf.agent.internal.GoDuration;

/**
 * Go's {@code flag.FlagSet} with {@code ContinueOnError}, as the Go CLI parses each subcommand:
 * {@code -flag}, {@code --flag}, {@code -flag=value}, {@code -flag value} (not for bools, which take
 * a value only after {@code =}); parsing stops at the first non-flag argument, at {@code -} and
 * after {@code --}. A parse error prints Go's message on stderr, then the command's usage (which
 * the commands print on stdout), and makes {@link #parse} return false.
 */
final class GoFlagSet {
    private final Map<String, Flag> flags = new LinkedHashMap<>();
    private final Runnable usage;
    private final Ui stderr;
    private List<String> args = List.of();

    GoFlagSet(Runnable usage, Ui stderr) {
        this.usage = usage;
        this.stderr = stderr;
    }

    private sealed interface Flag permits BoolFlag, StringFlag, IntFlag, DurationFlag, ListFlag {
        /** Sets from text; returns Go's error text or null. */
        String set(String text);
    }

    static final class BoolFlag implements Flag {
        boolean value;

        public String set(String text) {
            switch (text) {
                case "1", "t", "T", "TRUE", "true", "True" -> value = true;
                case "0", "f", "F", "FALSE", "false", "False" -> value = false;
                default -> {
                    return "parse error";
                }
            }
            return null;
        }
    }

    static final class StringFlag implements Flag {
        String value;

        public String set(String text) {
            value = text;
            return null;
        }
    }

    static final class IntFlag implements Flag {
        long value;

        public String set(String text) {
            try {
                value = GoInts.parseInt(text);
                return null;
            } catch (NumberFormatException e) {
                return e.getMessage();
            }
        }
    }

    static final class DurationFlag implements Flag {
        long nanos;

        public String set(String text) {
            try {
                nanos = GoDuration.parse(text);
                return null;
            } catch (IllegalArgumentException e) {
                return "parse error";
            }
        }
    }

    /** The agent package's {@code AppendSliceValue}: every occurrence appends; unset is Go's nil (null). */
    static final class ListFlag implements Flag {
        List<String> values;

        public String set(String text) {
            if (values == null) {
                values = new ArrayList<>();
            }
            values.add(text);
            return null;
        }
    }

    BoolFlag bool(String name, boolean def) {
        BoolFlag f = new BoolFlag();
        f.value = def;
        flags.put(name, f);
        return f;
    }

    StringFlag string(String name, String def) {
        StringFlag f = new StringFlag();
        f.value = def;
        flags.put(name, f);
        return f;
    }

    IntFlag integer(String name, long def) {
        IntFlag f = new IntFlag();
        f.value = def;
        flags.put(name, f);
        return f;
    }

    DurationFlag duration(String name, long defNanos) {
        DurationFlag f = new DurationFlag();
        f.nanos = defNanos;
        flags.put(name, f);
        return f;
    }

    ListFlag list(String name) {
        ListFlag f = new ListFlag();
        flags.put(name, f);
        return f;
    }

    /** The arguments left after the flags. */
    List<String> args() {
        return args;
    }

    /** Parses; on error prints Go's message and the usage and returns false. */
    boolean parse(List<String> input) {
        List<String> rest = new ArrayList<>(input);
        while (!rest.isEmpty()) {
            String s = rest.get(0);
            if (s.length() < 2 || s.charAt(0) != '-') {
                break;
            }
            int minuses = 1;
            if (s.charAt(1) == '-') {
                minuses = 2;
                if (s.length() == 2) {
                    rest.remove(0);
                    break;
                }
            }
            String name = s.substring(minuses);
            if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
                return fail("bad flag syntax: " + s);
            }
            rest.remove(0);
            boolean hasValue = false;
            String value = "";
            int eq = name.indexOf('=', 1);
            if (eq > 0) {
                value = name.substring(eq + 1);
                hasValue = true;
                name = name.substring(0, eq);
            }
            Flag flag = flags.get(name);
            if (flag == null) {
                if (name.equals("help") || name.equals("h")) {
                    usage.run();
                    return false;
                }
                return fail("flag provided but not defined: -" + name);
            }
            if (flag instanceof BoolFlag) {
                if (hasValue) {
                    if (flag.set(value) != null) {
                        return fail("invalid boolean value " + quote(value) + " for -" + name + ": parse error");
                    }
                } else {
                    flag.set("true");
                }
                continue;
            }
            if (!hasValue && !rest.isEmpty()) {
                value = rest.remove(0);
                hasValue = true;
            }
            if (!hasValue) {
                return fail("flag needs an argument: -" + name);
            }
            String err = flag.set(value);
            if (err != null) {
                return fail("invalid value " + quote(value) + " for flag -" + name + ": " + err);
            }
        }
        args = List.copyOf(rest);
        return true;
    }

    private boolean fail(String message) {
        stderr.output(message);
        usage.run();
        return false;
    }

    private static String quote(String s) {
        return serf.agent.internal.GoText.quote(s);
    }
}
