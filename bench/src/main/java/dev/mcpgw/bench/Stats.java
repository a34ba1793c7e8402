package dev.mcpgw.bench;

import java.util.Arrays;

/** Median, minimum, maximum and percentiles of a sample. */
record Stats(double median, double min, double max, double[] sorted) {

    static Stats of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Stats(median, sorted[0], sorted[n - 1], sorted);
    }

    /** Nearest-rank percentile, p in (0, 100]. */
    double percentile(double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
