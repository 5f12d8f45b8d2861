// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws the grayscale throughput chart: for each subject of {@link Subject#GRAYSCALE}, a bar per
 * image size in MB/s and a mark at the 512x512 target. In a report that merges runs, a value label
 * carries the mark of its run. Runs headless ({@code java.awt.headless=true}).
 */
final class ThroughputChart {

    static final int[] SIDES = {512, 2048};

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 660;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 110;
    private static final int BOTTOM = 90;
    private static final Color[] SIZE_COLORS = {new Color(0x1F5F99), new Color(0x7FB2E0)};
    private static final Color TARGET_COLOR = new Color(0xC0392B);
    private static final Color GRID_COLOR = new Color(0xDDDDDD);

    private ThroughputChart() {
    }

    /**
     * Writes the chart as PNG.
     *
     * @param results  the report's figures and runs
     * @param subtitle the line under the title (runs, machine)
     * @param warning  a line in red under it, or null
     */
    static void write(Path file, Results results, String subtitle, String warning) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            drawTitles(g, subtitle, warning);
            double max = axisMaximum(results.values());
            drawAxis(g, max);
            drawBars(g, results, max);
            drawLegend(g);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    private static void drawTitles(Graphics2D g, String subtitle, String warning) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString("Grayscale throughput: MB of input per second (higher is better)", LEFT, 32);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(subtitle, LEFT, 54);
        if (warning != null) {
            g.setColor(TARGET_COLOR);
            g.drawString(warning, LEFT, 74);
        }
    }

    /** Returns a round axis maximum above every value and target. */
    private static double axisMaximum(Map<String, Measurement> values) {
        double max = 1;
        for (Subject subject : Subject.GRAYSCALE) {
            for (int side : SIDES) {
                Measurement measurement = values.get(key(side, subject));
                if (measurement != null) {
                    max = Math.max(max, measurement.value());
                }
            }
            if (!Double.isNaN(subject.target())) {
                max = Math.max(max, subject.target());
            }
        }
        double step = Math.pow(10, Math.floor(Math.log10(max * 1.1))) / 2;
        return Math.ceil(max * 1.1 / step) * step;
    }

    private static void drawAxis(Graphics2D g, double max) {
        int plotHeight = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics metrics = g.getFontMetrics();
        int ticks = 5;
        for (int i = 0; i <= ticks; i++) {
            double value = max * i / ticks;
            int y = TOP + plotHeight - (int) Math.round(plotHeight * (double) i / ticks);
            g.setColor(GRID_COLOR);
            g.drawLine(LEFT, y, WIDTH - RIGHT, y);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%,.0f", value);
            g.drawString(label, LEFT - 8 - metrics.stringWidth(label), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, TOP, LEFT, TOP + plotHeight);
        g.drawLine(LEFT, TOP + plotHeight, WIDTH - RIGHT, TOP + plotHeight);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString("MB/s", -(TOP + plotHeight / 2 + 15), 20);
        g.setTransform(saved);
    }

    private static void drawBars(Graphics2D g, Results results, double max) {
        Map<String, Measurement> values = results.values();
        List<Subject> subjects = Subject.GRAYSCALE;
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        int baseline = TOP + plotHeight;
        int groupWidth = plotWidth / subjects.size();
        int barWidth = (groupWidth - 20) / SIDES.length;

        for (int s = 0; s < subjects.size(); s++) {
            Subject subject = subjects.get(s);
            int groupLeft = LEFT + s * groupWidth + 10;
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.BLACK);
            drawLabel(g, subject.shortLabel(), groupLeft + groupWidth / 2 - 10, baseline + 20, groupWidth);

            for (int i = 0; i < SIDES.length; i++) {
                Measurement measurement = values.get(key(SIDES[i], subject));
                int x = groupLeft + i * barWidth;
                if (measurement == null) {
                    g.setColor(Color.GRAY);
                    drawCentered(g, "n/a", x + barWidth / 2, baseline - 6, barWidth);
                    continue;
                }
                int height = (int) Math.round(plotHeight * measurement.value() / max);
                g.setColor(SIZE_COLORS[i]);
                g.fillRect(x, baseline - height, barWidth - 2, height);
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                String mark = results.mark(measurement.key());
                String label = Format.number(measurement.value()) + (mark.isEmpty() ? "" : " " + mark);
                drawCentered(g, label, x + barWidth / 2, baseline - height - 4, barWidth);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            }
            if (!Double.isNaN(subject.target())) {
                int y = baseline - (int) Math.round(plotHeight * subject.target() / max);
                g.setColor(TARGET_COLOR);
                g.setStroke(new BasicStroke(3));
                g.drawLine(groupLeft - 4, y, groupLeft + barWidth + 2, y);
                g.setStroke(new BasicStroke(1));
            }
        }
    }

    private static void drawLegend(Graphics2D g) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int x = LEFT;
        int y = HEIGHT - 30;
        for (int i = 0; i < SIDES.length; i++) {
            g.setColor(SIZE_COLORS[i]);
            g.fillRect(x, y - 11, 14, 14);
            g.setColor(Color.BLACK);
            String label = SIDES[i] + "x" + SIDES[i];
            g.drawString(label, x + 20, y + 1);
            x += 40 + g.getFontMetrics().stringWidth(label);
        }
        g.setColor(TARGET_COLOR);
        g.setStroke(new BasicStroke(3));
        g.drawLine(x, y - 4, x + 18, y - 4);
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.BLACK);
        g.drawString("target on 512x512, measured outside the project", x + 26, y + 1);
    }

    /** Draws a subject label centered under its bars, on two lines split at a space when one line is too wide. */
    private static void drawLabel(Graphics2D g, String text, int centerX, int y, int maxWidth) {
        FontMetrics metrics = g.getFontMetrics();
        int space = -1;
        int widest = Integer.MAX_VALUE;
        for (int i = text.indexOf(' '); i >= 0; i = text.indexOf(' ', i + 1)) {
            int lineWidth = Math.max(metrics.stringWidth(text.substring(0, i)), metrics.stringWidth(text.substring(i + 1)));
            if (lineWidth < widest) {
                widest = lineWidth;
                space = i;
            }
        }
        if (metrics.stringWidth(text) <= maxWidth || space < 0) {
            drawCentered(g, text, centerX, y, maxWidth);
            return;
        }
        drawCentered(g, text.substring(0, space), centerX, y, maxWidth);
        drawCentered(g, text.substring(space + 1), centerX, y + metrics.getHeight(), maxWidth);
    }

    private static void drawCentered(Graphics2D g, String text, int centerX, int y, int maxWidth) {
        FontMetrics metrics = g.getFontMetrics();
        int width = metrics.stringWidth(text);
        if (width > maxWidth) {
            Font font = g.getFont();
            g.setFont(font.deriveFont(font.getSize2D() * maxWidth / width));
            width = g.getFontMetrics().stringWidth(text);
            g.drawString(text, centerX - width / 2, y);
            g.setFont(font);
            return;
        }
        g.drawString(text, centerX - width / 2, y);
    }

    static String key(int side, Subject subject) {
        return "grayscale_" + side + "_mbps." + subject.key();
    }
}
