package serf.agent.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One handler script, configured for every kind of event filter, that records what each
 * invocation saw: its {@code SERF_*} environment and its stdin, in
 * {@code DIR/<SERF_SELF_NAME>/<kind>.<event>.<nanos>.<pid>.{env,stdin}}. The {@code query}
 * handler answers with {@code resp-from-<self>:<stdin>}, so its stdout becomes the node's query
 * response. The same flags go to our agent and to the Go agent, so their dumps can be compared.
 */
final class HandlerDumps {
    /** The handler kinds and their filters, in configuration order. */
    static final List<String[]> HANDLERS = List.of(
            new String[] {"member-join", "member-join"},
            new String[] {"member-leave,member-failed", "member-leave-failed"},
            new String[] {"member-update", "member-update"},
            new String[] {"user", "user"},
            new String[] {"user:deploy", "user-deploy"},
            new String[] {"query", "query"},
            new String[] {"query:load", "query-load"},
            new String[] {null, "star"});

    private final Path root;
    private final Path script;

    private HandlerDumps(Path root, Path script) {
        this.root = root;
        this.script = script;
    }

    static HandlerDumps create(Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("dumps"));
        Path script = dir.resolve("handler.sh");
        Files.writeString(script, """
                #!/bin/sh
                d="%s/$SERF_SELF_NAME"
                mkdir -p "$d"
                f="$d/$1.$SERF_EVENT.$(date +%%s%%N).$$"
                cat > "$f.stdin"
                env | grep '^SERF_' | sort > "$f.tmp" && mv "$f.tmp" "$f.env"
                if [ "$1" = query ]; then printf 'resp-from-%%s:' "$SERF_SELF_NAME"; cat "$f.stdin"; fi
                exit 0
                """.formatted(root));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new HandlerDumps(root, script);
    }

    /** The -event-handler flags: one per kind; the catch-all one without a filter. */
    String[] flags() {
        List<String> out = new ArrayList<>();
        for (String[] h : HANDLERS) {
            out.add("-event-handler=" + (h[0] == null ? "" : h[0] + "=") + script + " " + h[1]);
        }
        return out.toArray(String[]::new);
    }

    /** What {@code serf info} lists under event_handlers for {@link #flags()}. */
    Map<String, String> infoHandlers() {
        Map<String, String> out = new TreeMap<>();
        for (String[] h : HANDLERS) {
            String filters = h[0] == null ? "*" : h[0];
            for (String f : filters.split(",")) {
                out.put(f.contains(":") ? f : f + ":", script + " " + h[1]);
            }
        }
        return out;
    }

    /** One handler invocation. */
    record Dump(String node, String kind, String event, Map<String, String> env, String stdin) {
        String env(String key) {
            return env.getOrDefault(key, "");
        }

        /**
         * A form that two nodes share for the same event: the node's own name, role and tag values
         * become placeholders, member lines (random member and tag order) are sorted.
         */
        String normalised(String role) {
            StringBuilder sb = new StringBuilder(kind).append(" | ");
            env.forEach((k, v) -> {
                String value = v;
                if (k.equals("SERF_SELF_NAME") && v.equals(node)) {
                    value = "<self>";
                } else if ((k.equals("SERF_SELF_ROLE") || k.equals("SERF_TAG_ROLE")) && v.equals(role)) {
                    value = "<role>";
                }
                sb.append(k).append('=').append(value).append(' ');
            });
            sb.append("| ");
            if (event.startsWith("member-")) {
                sb.append(Norm.memberLines(stdin));
            } else {
                sb.append(stdin.replace("\n", "\\n"));
            }
            return sb.toString();
        }
    }

    /** Every completed invocation on {@code node} so far. */
    List<Dump> of(String node) {
        Path d = root.resolve(node);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        List<Dump> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(d)) {
            for (Path env : files.filter(p -> p.toString().endsWith(".env")).sorted().toList()) {
                String base = env.getFileName().toString();
                base = base.substring(0, base.length() - ".env".length());
                String[] parts = base.split("\\.");
                Map<String, String> vars = new TreeMap<>();
                for (String line : Files.readAllLines(env, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        vars.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
                String stdin = Files.readString(d.resolve(base + ".stdin"), StandardCharsets.UTF_8);
                out.add(new Dump(node, parts[0], parts[1], vars, stdin));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The invocations on {@code node} that match. */
    List<Dump> of(String node, Predicate<Dump> filter) {
        return of(node).stream().filter(filter).toList();
    }
}
