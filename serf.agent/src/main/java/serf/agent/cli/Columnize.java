package serf.agent.cli;

import java.util.ArrayList;
import java.util.List;
import serf.agent.internal.GoText;

/**
 * ryanuber/columnize's {@code SimpleFormat}: lines split at {@code |}, cells trimmed, every column
 * but a line's last left-justified to the widest cell (counted in code points) and joined by two
 * spaces; the final newline removed.
 */
final class Columnize {
    private Columnize() {
    }

    static String simpleFormat(List<String> lines) {
        List<String[]> rows = new ArrayList<>(lines.size());
        List<Integer> widths = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split("\\|", -1);
            for (int i = 0; i < cells.length; i++) {
                cells[i] = GoText.trimSpace(cells[i]);
                int w = cells[i].codePointCount(0, cells[i].length());
                if (widths.size() <= i) {
                    widths.add(w);
                } else if (widths.get(i) < w) {
                    widths.set(i, w);
                }
            }
            rows.add(cells);
        }
        StringBuilder sb = new StringBuilder();
        for (String[] cells : rows) {
            for (int i = 0; i < cells.length; i++) {
                sb.append(cells[i]);
                if (i == cells.length - 1) {
                    sb.append('\n');
                } else {
                    int pad = widths.get(i) - cells[i].codePointCount(0, cells[i].length());
                    sb.append(" ".repeat(Math.max(0, pad))).append("  ");
                }
            }
        }
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) == '\n') {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }
}
