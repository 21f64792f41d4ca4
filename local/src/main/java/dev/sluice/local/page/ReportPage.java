package dev.sluice.local.page;

import org.jfree.chart.JFreeChart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One self-contained HTML page of a report (a chaos scenario's verdict, a bench run): headings,
 * tables and charts, the charts as PNG data URIs, so the page opens anywhere without a network or
 * files beside it. A small inline script marks each chart once its image has decoded, or says that
 * it failed, which is also what the page test reads.
 */
public final class ReportPage {

    private static final int CHART_WIDTH = 900;
    private static final int CHART_HEIGHT = 360;

    private static final String STYLE =
            "body{font-family:sans-serif;margin:2em;max-width:960px}"
                    + "table{border-collapse:collapse;margin:1em 0}"
                    + "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}"
                    + "tr.fail td{background:#fdd}tr.ok td:first-child{color:#070}"
                    + "figure{margin:1em 0}figure img{max-width:100%}"
                    + ".verdict-passed{color:#070}.verdict-failed{color:#b00}";

    /** Sets data-rendered on each chart whose image decoded, data-error on one that did not. */
    private static final String SCRIPT =
            "document.querySelectorAll('figure[data-chart] img').forEach(function(img){"
                    + "var f=img.parentElement;"
                    + "function done(){if(img.naturalWidth>0){f.dataset.rendered='true';}"
                    + "else{f.dataset.error='image did not decode';"
                    + "f.appendChild(document.createTextNode('This chart failed to render.'));}}"
                    + "if(img.complete){done();}else{img.addEventListener('load',done);"
                    + "img.addEventListener('error',done);}});";

    private final StringBuilder body = new StringBuilder();
    private final String title;

    public ReportPage(String title) {
        this.title = title;
        body.append("<h1>").append(escape(title)).append("</h1>\n");
    }

    /** A heading of a section. */
    public ReportPage heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    /** A paragraph; {@code cssClass} may be null. */
    public ReportPage paragraph(String text, String cssClass) {
        body.append(cssClass == null ? "<p>" : "<p class=\"" + escape(cssClass) + "\">")
                .append(escape(text))
                .append("</p>\n");
        return this;
    }

    /**
     * A table; each row's first cell is its status text, and a row whose status is {@code FAIL} or
     * {@code NOT met} is marked.
     */
    public ReportPage table(List<String> headers, List<List<String>> rows) {
        body.append("<table>\n<tr>");
        for (String h : headers) {
            body.append("<th>").append(escape(h)).append("</th>");
        }
        body.append("</tr>\n");
        for (List<String> row : rows) {
            String status = row.isEmpty() ? "" : row.get(0);
            body.append(
                    isFailure(status)
                            ? "<tr class=\"fail\">"
                            : isSuccess(status) ? "<tr class=\"ok\">" : "<tr>");
            for (String cell : row) {
                body.append("<td>").append(escape(cell)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    private static boolean isSuccess(String status) {
        return status.equals("ok") || status.equals("met");
    }

    private static boolean isFailure(String status) {
        return status.equals("FAIL") || status.equals("NOT met");
    }

    /** A chart under {@code id} (the page test looks for it), drawn as a PNG. */
    public ReportPage chart(String id, JFreeChart chart) throws IOException {
        String alt = chart.getTitle() == null ? id : chart.getTitle().getText();
        body.append("<figure data-chart=\"")
                .append(escape(id))
                .append("\"><img alt=\"")
                .append(escape(alt))
                .append("\" width=\"")
                .append(CHART_WIDTH)
                .append("\" height=\"")
                .append(CHART_HEIGHT)
                .append("\" src=\"")
                .append(Charts.pngDataUri(chart, CHART_WIDTH, CHART_HEIGHT))
                .append("\"></figure>\n");
        return this;
    }

    /** The whole page. */
    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                + escape(title)
                + "</title><style>"
                + STYLE
                + "</style></head>\n<body>\n"
                + body
                + "<script>"
                + SCRIPT
                + "</script>\n</body></html>\n";
    }

    /** Writes the page to {@code file}, creating its directory. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, html(), StandardCharsets.UTF_8);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
