package serf.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Result tables: printed, and appended to target/faults/results.md for the long-run script. */
final class Report {
    private Report() {
    }

    static void table(String title, List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("\n### ").append(title).append("\n\n| ")
                .append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> sb.append("---|"));
        sb.append('\n');
        for (List<String> row : rows) {
            sb.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        text(sb.toString());
    }

    static void text(String s) {
        System.out.println(s);
        try {
            Path results = Path.of("target", "faults", "results.md");
            Files.createDirectories(results.getParent());
            Files.writeString(results, s + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("(results.md not written: " + e + ")");
        }
    }
}
