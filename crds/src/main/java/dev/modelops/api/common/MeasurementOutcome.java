package dev.modelops.api.common;

/** The verdict on one measurement or one analysis run. Inconclusive is not Failed: too little traffic to judge. */
public enum MeasurementOutcome {
    Successful, Inconclusive, Failed
}
