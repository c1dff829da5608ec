package serf.agent.interop;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import serf.wire.json.Json;

/**
 * Normalisations for comparing the Go CLI's output against our agent with its output against a
 * Go agent: only what legitimately differs between two runs (Go map order, timings, RTTs).
 */
final class Norm {
    private Norm() {
    }

    private static final Pattern TAG_LIST = Pattern.compile("[^\\s,]+=[^\\s,]*(,[^\\s,]+=[^\\s,]*)+");

    /** Sorts every comma-separated {@code k=v,k=v} list in {@code s} (Go map order). */
    static String sortTagLists(String s) {
        Matcher m = TAG_LIST.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            List<String> parts = new ArrayList<>(List.of(m.group().split(",")));
            parts.sort(Comparator.naturalOrder());
            m.appendReplacement(sb, Matcher.quoteReplacement(String.join(",", parts)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * Lines sorted, tag lists sorted, trailing blanks dropped (a member without tags keeps its
     * padding unless its line happens to be the last one).
     */
    static String sortedLines(String s) {
        List<String> lines = new ArrayList<>();
        for (String l : s.split("\n")) {
            lines.add(sortTagLists(l).stripTrailing());
        }
        lines.sort(Comparator.naturalOrder());
        return String.join("\n", lines) + "\n";
    }

    /** Member lines of a handler's stdin ({@code name\taddr\trole\ttags}), sorted, tags sorted. */
    static String memberLines(String stdin) {
        List<String> lines = new ArrayList<>();
        for (String l : stdin.split("\n")) {
            if (l.isEmpty()) {
                continue;
            }
            String[] f = l.split("\t", -1);
            if (f.length == 4) {
                List<String> tags = new ArrayList<>(List.of(f[3].split(",")));
                tags.sort(Comparator.naturalOrder());
                l = f[0] + "\t" + f[1] + "\t" + f[2] + "\t" + String.join(",", tags);
            }
            lines.add(l.replace("\t", "\\t"));
        }
        lines.sort(Comparator.naturalOrder());
        return String.join(" ; ", lines);
    }

    /** Runs of consecutive lines starting with {@code prefix} sorted in place (Go map order). */
    static String sortRuns(String s, String prefix) {
        return sortRuns(s, l -> l.startsWith(prefix));
    }

    /** Runs of consecutive lines that match {@code inRun} sorted in place. */
    static String sortRuns(String s, java.util.function.Predicate<String> inRun) {
        String[] lines = s.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            if (!inRun.test(lines[i])) {
                i++;
                continue;
            }
            int j = i;
            while (j < lines.length && inRun.test(lines[j])) {
                j++;
            }
            java.util.Arrays.sort(lines, i, j);
            i = j;
        }
        return String.join("\n", lines);
    }

    /** {@code serf members -format=json}: members sorted by name, re-printed. */
    @SuppressWarnings("unchecked")
    static String membersJson(String s) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(s);
        if (root.get("members") instanceof List<?> list) {
            List<Object> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparing(o -> (String) ((Map<String, Object>) o).get("name")));
            root.put("members", sorted);
        }
        return Json.writePretty(root) + "\n";
    }

    /** {@code serf query -format=json}: acks sorted, re-printed. */
    @SuppressWarnings("unchecked")
    static String queryJson(String s) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(s);
        if (root.get("Acks") instanceof List<?> list) {
            List<Object> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparing(Object::toString));
            root.put("Acks", sorted);
        }
        return Json.writePretty(root) + "\n";
    }

    /** RTT estimates and reachability timings become placeholders. */
    static String timings(String s) {
        return s.replaceAll("rtt: \\d+\\.\\d{3} ms", "rtt: <rtt> ms")
                .replaceAll("Query time: \\d+\\.\\d{2} sec, time to last response: \\d+\\.\\d{2} sec",
                        "Query time: <t> sec, time to last response: <t> sec");
    }
}
