package dev.modelops.operator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The operator's clock in tests: real time plus whatever a test skipped, so pauses end without sleeping. */
public final class MutableClock extends Clock {

    private static volatile Duration skipped = Duration.ZERO;

    /** Back to real time, for the tests that come after. */
    public static void reset() {
        skipped = Duration.ZERO;
    }

    /** Moves every test's clock forward. */
    public static void skip(Duration duration) {
        skipped = skipped.plus(duration);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(skipped);
    }

    /** Replaces the operator's default clock in every Quarkus test. */
    @ApplicationScoped
    public static class Producer {

        @Produces
        @ApplicationScoped
        Clock clock() {
            return new MutableClock();
        }
    }
}
