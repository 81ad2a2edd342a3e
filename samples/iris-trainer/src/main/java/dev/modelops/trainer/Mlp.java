package dev.modelops.trainer;

import java.util.Random;

/**
 * A one-hidden-layer perceptron (inputs → ReLU hidden → softmax classes) trained by full-batch gradient descent on
 * cross-entropy. Inputs are standardised with the training rows' mean and deviation; the export folds that into the
 * first layer, so the ONNX model takes raw measurements.
 */
final class Mlp {

    final int inputs;
    final int hidden;
    final int classes;
    final double[][] w1; // [inputs][hidden]
    final double[] b1;
    final double[][] w2; // [hidden][classes]
    final double[] b2;
    final double[] mean;
    final double[] std;

    Mlp(int inputs, int hidden, int classes, long seed) {
        this.inputs = inputs;
        this.hidden = hidden;
        this.classes = classes;
        Random random = new Random(seed);
        w1 = init(inputs, hidden, random);
        b1 = new double[hidden];
        w2 = init(hidden, classes, random);
        b2 = new double[classes];
        mean = new double[inputs];
        std = new double[inputs];
        java.util.Arrays.fill(std, 1);
    }

    private static double[][] init(int in, int out, Random random) {
        double scale = Math.sqrt(2.0 / (in + out));
        double[][] w = new double[in][out];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
                w[i][j] = random.nextGaussian() * scale;
            }
        }
        return w;
    }

    /** Trains on the given rows; returns the final mean cross-entropy. */
    double train(double[][] x, int[] y, int[] rows, int epochs, double learningRate) {
        for (int f = 0; f < inputs; f++) {
            double sum = 0;
            for (int r : rows) {
                sum += x[r][f];
            }
            mean[f] = sum / rows.length;
            double var = 0;
            for (int r : rows) {
                var += (x[r][f] - mean[f]) * (x[r][f] - mean[f]);
            }
            std[f] = Math.max(Math.sqrt(var / rows.length), 1e-9);
        }
        double loss = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            double[][] gw1 = new double[inputs][hidden];
            double[] gb1 = new double[hidden];
            double[][] gw2 = new double[hidden][classes];
            double[] gb2 = new double[classes];
            loss = 0;
            for (int r : rows) {
                double[] in = standardise(x[r]);
                double[] h = new double[hidden];
                for (int j = 0; j < hidden; j++) {
                    double z = b1[j];
                    for (int i = 0; i < inputs; i++) {
                        z += in[i] * w1[i][j];
                    }
                    h[j] = Math.max(0, z);
                }
                double[] p = softmax(logits(h));
                loss -= Math.log(Math.max(p[y[r]], 1e-12));
                double[] dz2 = p.clone();
                dz2[y[r]] -= 1;
                double[] dh = new double[hidden];
                for (int j = 0; j < hidden; j++) {
                    for (int k = 0; k < classes; k++) {
                        gw2[j][k] += h[j] * dz2[k];
                        dh[j] += w2[j][k] * dz2[k];
                    }
                }
                for (int k = 0; k < classes; k++) {
                    gb2[k] += dz2[k];
                }
                for (int j = 0; j < hidden; j++) {
                    if (h[j] <= 0) {
                        continue;
                    }
                    gb1[j] += dh[j];
                    for (int i = 0; i < inputs; i++) {
                        gw1[i][j] += in[i] * dh[j];
                    }
                }
            }
            double step = learningRate / rows.length;
            for (int i = 0; i < inputs; i++) {
                for (int j = 0; j < hidden; j++) {
                    w1[i][j] -= step * gw1[i][j];
                }
            }
            for (int j = 0; j < hidden; j++) {
                b1[j] -= step * gb1[j];
                for (int k = 0; k < classes; k++) {
                    w2[j][k] -= step * gw2[j][k];
                }
            }
            for (int k = 0; k < classes; k++) {
                b2[k] -= step * gb2[k];
            }
            loss /= rows.length;
        }
        return loss;
    }

    int predict(double[] raw) {
        double[] in = standardise(raw);
        double[] h = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            double z = b1[j];
            for (int i = 0; i < inputs; i++) {
                z += in[i] * w1[i][j];
            }
            h[j] = Math.max(0, z);
        }
        return argmax(logits(h));
    }

    /** First-layer weights and bias for raw inputs: W' = W / std, b' = b - (mean / std) · W. */
    float[][] foldedW1() {
        float[][] w = new float[inputs][hidden];
        for (int i = 0; i < inputs; i++) {
            for (int j = 0; j < hidden; j++) {
                w[i][j] = (float) (w1[i][j] / std[i]);
            }
        }
        return w;
    }

    float[] foldedB1() {
        float[] b = new float[hidden];
        for (int j = 0; j < hidden; j++) {
            double z = b1[j];
            for (int i = 0; i < inputs; i++) {
                z -= mean[i] / std[i] * w1[i][j];
            }
            b[j] = (float) z;
        }
        return b;
    }

    private double[] standardise(double[] raw) {
        double[] out = new double[inputs];
        for (int i = 0; i < inputs; i++) {
            out[i] = (raw[i] - mean[i]) / std[i];
        }
        return out;
    }

    private double[] logits(double[] h) {
        double[] z = b2.clone();
        for (int j = 0; j < hidden; j++) {
            for (int k = 0; k < classes; k++) {
                z[k] += h[j] * w2[j][k];
            }
        }
        return z;
    }

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            p[k] = Math.exp(z[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < z.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }
}
