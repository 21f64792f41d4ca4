package dev.sluice.local.page;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.general.DatasetUtils;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The report pages' charts, drawn by JFreeChart: lines over time or a count, bars, boxes. */
public final class Charts {

    static {
        // Drawing needs no display: reports are written on build machines and servers.
        System.setProperty("java.awt.headless", "true");
    }

    /** A moment marked on a time axis: a scenario's phase. */
    public record Event(double seconds, String label) {}

    private Charts() {}

    /** Lines of {@code [x, y]} points, one per named series, with events as vertical markers. */
    public static JFreeChart lines(
            String title,
            String xLabel,
            String yLabel,
            Map<String, List<double[]>> series,
            List<Event> events) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
            XYSeries xy = new XYSeries(s.getKey());
            for (double[] point : s.getValue()) {
                xy.add(point[0], point[1]);
            }
            data.addSeries(xy);
        }
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        // A flat series (no restarts) would otherwise get an axis of +-5E-9 around its value.
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeMinimumSize(1);
        for (Event e : events) {
            ValueMarker marker = new ValueMarker(e.seconds());
            marker.setPaint(Color.GRAY);
            marker.setStroke(
                    new BasicStroke(
                            1f,
                            BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_MITER,
                            1f,
                            new float[] {4f},
                            0f));
            marker.setLabel(e.label());
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(marker, Layer.FOREGROUND);
        }
        return chart;
    }

    /** Bars by category (rows are the series, columns the categories). */
    public static JFreeChart bars(
            String title, String categoryLabel, String valueLabel, CategoryDataset data) {
        JFreeChart chart =
                ChartFactory.createBarChart(
                        title,
                        categoryLabel,
                        valueLabel,
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    /** Boxes of each category's values: median, quartiles and range of repeated runs. */
    public static JFreeChart boxes(
            String title,
            String categoryLabel,
            String valueLabel,
            Map<String, List<Double>> valuesByCategory) {
        DefaultBoxAndWhiskerCategoryDataset data = new DefaultBoxAndWhiskerCategoryDataset();
        for (Map.Entry<String, List<Double>> c : valuesByCategory.entrySet()) {
            data.add(c.getValue(), valueLabel, c.getKey());
        }
        JFreeChart chart =
                ChartFactory.createBoxAndWhiskerChart(
                        title, categoryLabel, valueLabel, data, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BoxAndWhiskerRenderer renderer = (BoxAndWhiskerRenderer) plot.getRenderer();
        // The median line is the figure; a mean disc would hide it with so few runs.
        renderer.setMeanVisible(false);
        renderer.setMaximumBarWidth(0.15);
        return chart;
    }

    /** A horizontal line across a bar chart, e.g. a goal. */
    public static void rangeMarker(JFreeChart chart, double value, String label) {
        ValueMarker marker = new ValueMarker(value);
        marker.setPaint(Color.RED);
        marker.setLabel(label);
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.addRangeMarker(marker, Layer.FOREGROUND);
        // An axis ranges over the data alone; a goal above every bar would be off the chart.
        Number highest = DatasetUtils.findMaximumRangeValue(plot.getDataset());
        double top = Math.max(highest == null ? 0 : highest.doubleValue(), value);
        plot.getRangeAxis().setRange(0, top * 1.15);
    }

    /** A logarithmic x axis, for counts spanning orders of magnitude (jobs in a config). */
    public static void logDomain(JFreeChart chart) {
        XYPlot plot = chart.getXYPlot();
        LogAxis axis = new LogAxis(plot.getDomainAxis().getLabel());
        axis.setBase(10);
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        plot.setDomainAxis(axis);
    }

    /** The chart as a PNG in a {@code data:} URI. */
    static String pngDataUri(JFreeChart chart, int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, width, height);
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    }
}
