package dev.modelops.api.common;

/**
 * The verdict on one measurement or one analysis run. Inconclusive is not Failed: too little traffic to judge. Error:
 * the metrics could not be read; it counts as Inconclusive, never as Successful.
 */
public enum MeasurementOutcome {
    Successful, Inconclusive, Failed, Error
}
