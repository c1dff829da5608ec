package serf.agent.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A command-line parser that behaves like Go's {@code flag} package with {@code ContinueOnError}:
 * {@code -flag value}, {@code -flag=value}, {@code --flag} and {@code --flag=value}; bool flags
 * take no separate value ({@code -flag} or {@code -flag=false}); parsing stops at the first
 * argument that is not a flag, at a lone {@code -}, or after {@code --}; errors carry Go's texts.
 *
 * <p>Two ways to use it, over the same parser. The agent's configuration {@link #define}s flags
 * and reads a {@link Result} from {@link #parse}, which keeps no state (it needs every occurrence
 * in command-line order). The CLI commands bind flags to holders ({@link #bool}, {@link #string},
 * …) as Go's {@code FlagSet} does and call {@link #parseOrUsage}, which prints Go's error and the
 * usage. Not thread-safe while being defined.
 */
public final class GoFlagSet {

    /** How a flag takes its value. */
    public enum Kind {
        /** A string; a repeated flag keeps the last value. */
        STRING,
        /** A Go {@code int} parsed with {@code strconv.ParseInt(s, 0, 64)} (0x, 0o, 0b, 0 prefixes, underscores). */
        INT,
        /** A bool: {@code -flag} means true; {@code -flag=v} takes {@code strconv.ParseBool} values. */
        BOOL,
        /** A repeatable string: every occurrence is kept, in order. */
        LIST,
        /** A {@code time.Duration}, decoded to nanoseconds (a Long). */
        DURATION
    }

    /** A parse failure: {@code message} is what Go prints before the usage (null for {@code -h}/{@code -help}). */
    public static final class FlagException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean help;

        FlagException(String message, boolean help) {
            super(message);
            this.help = help;
        }

        /** True when {@code -h} or {@code -help} asked for the usage (Go's {@code flag.ErrHelp}). */
        public boolean helpRequested() {
            return help;
        }
    }

    /** One flag as given: its name, raw text and decoded value (String, Long or Boolean). */
    public record Occurrence(String name, String text, Object value) {
    }

    /** What was parsed: the flags in command-line order, then the arguments after them. */
    public record Result(List<Occurrence> flags, List<String> remaining) {
        public Result {
            flags = List.copyOf(flags);
            remaining = List.copyOf(remaining);
        }

        /** The last value given for a STRING flag, or {@code fallback}. */
        public String string(String name, String fallback) {
            Object v = last(name);
            return v == null ? fallback : (String) v;
        }

        /** The last value given for an INT flag, or {@code fallback}. */
        public long integer(String name, long fallback) {
            Object v = last(name);
            return v == null ? fallback : (Long) v;
        }

        /** The last value given for a BOOL flag, or {@code fallback}. */
        public boolean bool(String name, boolean fallback) {
            Object v = last(name);
            return v == null ? fallback : (Boolean) v;
        }

        /** Every value given for a LIST flag, in order. */
        public List<String> list(String name) {
            List<String> out = new ArrayList<>();
            for (Occurrence o : flags) {
                if (o.name.equals(name)) {
                    out.add((String) o.value);
                }
            }
            return out;
        }

        /** Every value given for any of these LIST flags, in command-line order (e.g. -config-file and -config-dir). */
        public List<String> list(String name, String... more) {
            List<String> names = new ArrayList<>(List.of(more));
            names.add(name);
            List<String> out = new ArrayList<>();
            for (Occurrence o : flags) {
                if (names.contains(o.name)) {
                    out.add((String) o.value);
                }
            }
            return out;
        }

        public boolean isSet(String name) {
            return last(name) != null;
        }

        private Object last(String name) {
            Object v = null;
            for (Occurrence o : flags) {
                if (o.name.equals(name)) {
                    v = o.value;
                }
            }
            return v;
        }
    }

    private final Map<String, Kind> flags = new LinkedHashMap<>();
    // Holders of bound flags (CLI style); empty for a set used through define/parse.
    private final Map<String, Holder> holders = new HashMap<>();
    private final Runnable usage;
    private final Consumer<String> errors;
    private List<String> args = List.of();

    /** A set whose flags are {@link #define}d and read from {@link #parse}'s {@link Result}. */
    public GoFlagSet() {
        this(() -> { }, message -> { });
    }

    /**
     * A set for a CLI command: {@link #parseOrUsage} gives a parse error's Go text to {@code errors}
     * (one line) and then runs {@code usage}; {@code -h}/{@code -help} only run {@code usage}.
     */
    public GoFlagSet(Runnable usage, Consumer<String> errors) {
        this.usage = Objects.requireNonNull(usage, "usage");
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    /** Defines a flag; returns this. */
    public GoFlagSet define(String name, Kind kind) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (flags.putIfAbsent(name, kind) != null) {
            throw new IllegalArgumentException("flag redefined: " + name);
        }
        return this;
    }

    public Map<String, Kind> definitions() {
        return Map.copyOf(flags);
    }

    /** Parses {@code args} (the arguments after the command name); bound flags are left alone. */
    public Result parse(List<String> args) throws FlagException {
        List<Occurrence> seen = new ArrayList<>();
        int end = scan(args, seen::add);
        return new Result(seen, args.subList(end, args.size()));
    }

    // ---- bound flags, as the CLI commands use them ----------------------------------------------

    private sealed interface Holder permits BoolFlag, StringFlag, IntFlag, DurationFlag, ListFlag {
    }

    /** A bool flag's value. */
    public static final class BoolFlag implements Holder {
        public boolean value;
    }

    /** A string flag's value. */
    public static final class StringFlag implements Holder {
        public String value;
    }

    /** An int flag's value. */
    public static final class IntFlag implements Holder {
        public long value;
    }

    /** A duration flag's value in nanoseconds. */
    public static final class DurationFlag implements Holder {
        public long nanos;
    }

    /** The agent package's {@code AppendSliceValue}: every occurrence appends; unset is Go's nil (null). */
    public static final class ListFlag implements Holder {
        public List<String> values;
    }

    private static void set(Holder holder, Object decoded) {
        switch (holder) {
            case BoolFlag f -> f.value = (Boolean) decoded;
            case StringFlag f -> f.value = (String) decoded;
            case IntFlag f -> f.value = (Long) decoded;
            case DurationFlag f -> f.nanos = (Long) decoded;
            case ListFlag f -> {
                if (f.values == null) {
                    f.values = new ArrayList<>();
                }
                f.values.add((String) decoded);
            }
        }
    }

    public BoolFlag bool(String name, boolean def) {
        return bind(name, Kind.BOOL, new BoolFlag(), def);
    }

    public StringFlag string(String name, String def) {
        return bind(name, Kind.STRING, new StringFlag(), def);
    }

    public IntFlag integer(String name, long def) {
        return bind(name, Kind.INT, new IntFlag(), def);
    }

    public DurationFlag duration(String name, long defNanos) {
        return bind(name, Kind.DURATION, new DurationFlag(), defNanos);
    }

    public ListFlag list(String name) {
        return bind(name, Kind.LIST, new ListFlag(), null);
    }

    private <H extends Holder> H bind(String name, Kind kind, H holder, Object def) {
        define(name, kind);
        if (def != null) { // a list starts as Go's nil; a null string default stays null anyway
            set(holder, def);
        }
        holders.put(name, holder);
        return holder;
    }

    /** The arguments left after the flags by the last successful {@link #parseOrUsage}. */
    public List<String> args() {
        return args;
    }

    /**
     * Parses into the bound flags, each set as it is read (as Go's {@code FlagSet.Parse}); on error
     * reports Go's message and the usage and returns false.
     */
    public boolean parseOrUsage(List<String> input) {
        int end;
        try {
            end = scan(input, o -> {
                Holder h = holders.get(o.name());
                if (h != null) { // null for a flag only define()d
                    set(h, o.value());
                }
            });
        } catch (FlagException e) {
            if (!e.helpRequested()) {
                errors.accept(e.getMessage());
            }
            usage.run();
            return false;
        }
        args = List.copyOf(input.subList(end, input.size()));
        return true;
    }

    // ---- the parser -------------------------------------------------------------------------------

    /** Reads the flags at the start of {@code args} into {@code sink}; returns the index of the first argument after them. */
    private int scan(List<String> args, Consumer<Occurrence> sink) throws FlagException {
        int i = 0;
        while (i < args.size()) {
            String s = args.get(i);
            if (s.length() < 2 || s.charAt(0) != '-') {
                break;
            }
            int minuses = 1;
            if (s.charAt(1) == '-') {
                minuses = 2;
                if (s.length() == 2) { // "--" ends the flags and is consumed
                    i++;
                    break;
                }
            }
            String name = s.substring(minuses);
            if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
                throw new FlagException("bad flag syntax: " + s, false);
            }
            i++;
            boolean hasValue = false;
            String value = "";
            int eq = name.indexOf('=', 1);
            if (eq > 0) {
                value = name.substring(eq + 1);
                hasValue = true;
                name = name.substring(0, eq);
            }
            Kind kind = flags.get(name);
            if (kind == null) {
                if (name.equals("help") || name.equals("h")) {
                    throw new FlagException(null, true);
                }
                throw new FlagException("flag provided but not defined: -" + name, false);
            }
            if (kind == Kind.BOOL) {
                if (hasValue) {
                    Boolean b = GoStrconv.parseBool(value);
                    if (b == null) {
                        throw new FlagException("invalid boolean value " + GoText.quote(value) + " for -" + name
                                + ": parse error", false);
                    }
                    sink.accept(new Occurrence(name, value, b));
                } else {
                    sink.accept(new Occurrence(name, "true", Boolean.TRUE));
                }
                continue;
            }
            if (!hasValue && i < args.size()) {
                value = args.get(i);
                hasValue = true;
                i++;
            }
            if (!hasValue) {
                throw new FlagException("flag needs an argument: -" + name, false);
            }
            sink.accept(new Occurrence(name, value, decode(name, kind, value)));
        }
        return i;
    }

    private static Object decode(String name, Kind kind, String value) throws FlagException {
        try {
            return switch (kind) {
                case INT -> GoStrconv.parseInt(value);
                case DURATION -> GoDuration.parseNanos(value);
                default -> value;
            };
        } catch (NumberFormatException e) {
            throw invalidValue(name, value, e.getMessage());
        } catch (IllegalArgumentException e) {
            // time.ParseDuration failed: the flag package reports its own errParse, not time's text
            throw invalidValue(name, value, "parse error");
        }
    }

    private static FlagException invalidValue(String name, String value, String why) {
        return new FlagException("invalid value " + GoText.quote(value) + " for flag -" + name + ": " + why, false);
    }

    /**
     * The agent package's {@code UnmarshalTags} for {@code -tag key=value} flags: each split at the
     * first {@code =}, a later duplicate wins; always a map (Go makes one), empty for a null list.
     *
     * @throws IllegalArgumentException {@code Invalid tag: 'x'} for a missing {@code =} or empty key
     */
    public static Map<String, String> unmarshalTags(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        if (pairs == null) {
            return out;
        }
        for (String tag : pairs) {
            int eq = tag.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Invalid tag: '" + tag + "'");
            }
            out.put(tag.substring(0, eq), tag.substring(eq + 1));
        }
        return out;
    }
}
