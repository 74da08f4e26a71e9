package dev.switchboard.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Where a command writes: tables and lines for people on stdout, notes and errors on stderr, or with
 * {@code -o json} one JSON document on stdout (field names are the API's, so they stay stable).
 */
final class Output {

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    Output(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** A line for people; nothing in JSON mode, so stdout stays one parseable document. */
    void line(String text) {
        if (!json) {
            out.println(text);
        }
        out.flush();
    }

    /** A note that is not the command's result (warnings, hints); always on stderr. */
    void note(String text) {
        err.println(text);
        err.flush();
    }

    void document(Object value) {
        out.println(Json.pretty(value));
        out.flush();
    }

    /** Prints rows of objects as an aligned table, with the columns given or, if none, every field seen. */
    void table(JsonNode rows, List<String> columns) {
        if (json) {
            return;
        }
        List<String> cols = columns.isEmpty() ? fields(rows) : columns;
        List<List<String>> cells = new ArrayList<>();
        for (JsonNode row : rows) {
            List<String> line = new ArrayList<>();
            for (String col : cols) {
                line.add(cell(row.path(col)));
            }
            cells.add(line);
        }
        print(cols.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toList(), cells);
    }

    /** Key/value lines, aligned; a human view of one object. */
    void pairs(Map<String, String> pairs) {
        if (json) {
            return;
        }
        int width = pairs.keySet().stream().mapToInt(String::length).max().orElse(0);
        pairs.forEach((k, v) -> out.println(pad(k, width) + "  " + v));
        out.flush();
    }

    void print(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println(render(header, widths));
        rows.forEach(row -> out.println(render(row, widths)));
        out.flush();
    }

    static String cell(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(cell(n)));
            return String.join(",", parts);
        }
        if (node.isObject()) {
            return Json.write(node); // not node.toString(): that builds a JsonMapper (Json's javadoc says why not)
        }
        if (node.isDouble() || node.isFloat()) {
            double d = node.asDouble();
            return d == Math.rint(d) ? String.valueOf((long) d) : String.format(java.util.Locale.ROOT, "%.4g", d);
        }
        return node.asString();
    }

    private static List<String> fields(JsonNode rows) {
        Set<String> names = new LinkedHashSet<>();
        rows.forEach(row -> names.addAll(row.propertyNames()));
        return List.copyOf(names);
    }

    private static String render(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == cells.size() - 1 ? cells.get(i) : pad(cells.get(i), widths[i]) + "  ");
        }
        return line.toString().stripTrailing();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
