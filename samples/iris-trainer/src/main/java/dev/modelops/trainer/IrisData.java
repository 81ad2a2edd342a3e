package dev.modelops.trainer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fisher's Iris data (150 rows, 4 features, 3 species; public domain), shipped in the jar as iris.csv. It is the
 * dataset the trainer works on out of the box.
 */
record IrisData(double[][] features, int[] labels) {

    static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");
    static final int FEATURES = 4;

    static IrisData load() {
        try (InputStream in = IrisData.class.getResourceAsStream("iris.csv")) {
            if (in == null) {
                throw new IllegalStateException("iris.csv is missing from the trainer's jar");
            }
            List<double[]> rows = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            reader.readLine(); // header
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                double[] row = new double[FEATURES];
                for (int i = 0; i < FEATURES; i++) {
                    row[i] = Double.parseDouble(cells[i]);
                }
                rows.add(row);
                labels.add(SPECIES.indexOf(cells[FEATURES].strip()));
            }
            return new IrisData(rows.toArray(double[][]::new), labels.stream().mapToInt(Integer::intValue).toArray());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read iris.csv", e);
        }
    }

    int size() {
        return labels.length;
    }
}
