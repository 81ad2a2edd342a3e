package dev.modelops.runtime.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * How many CPUs this container may use: the cgroup CPU quota (v2 {@code cpu.max}, v1 {@code cpu.cfs_quota_us} over
 * {@code cpu.cfs_period_us}) rounded up, never more than the processors the JVM sees (a cpuset), and the JVM's count
 * when no quota is set. A pod with {@code limits.cpu: 2} on a 64-core node gets 2, not 64.
 */
public final class CpuLimit {

    private static final Path CGROUP = Path.of("/sys/fs/cgroup");

    private CpuLimit() {
    }

    /** The CPUs this process may use, read from the cgroup files of this machine. */
    public static int available() {
        return available(CGROUP, Runtime.getRuntime().availableProcessors());
    }

    static int available(Path cgroupRoot, int processors) {
        OptionalInt quota = quota(cgroupRoot);
        return Math.max(1, quota.isPresent() ? Math.min(quota.getAsInt(), processors) : processors);
    }

    /** The quota in whole CPUs (rounded up), or empty when none is set or the files cannot be read. */
    static OptionalInt quota(Path cgroupRoot) {
        String v2 = read(cgroupRoot.resolve("cpu.max"));
        if (v2 != null) {
            String[] parts = v2.trim().split("\\s+");
            return parts.length == 2 ? cpus(parts[0], parts[1]) : OptionalInt.empty();
        }
        for (String dir : List.of("cpu", "cpu,cpuacct", "cpuacct,cpu")) {
            String quota = read(cgroupRoot.resolve(dir).resolve("cpu.cfs_quota_us"));
            String period = read(cgroupRoot.resolve(dir).resolve("cpu.cfs_period_us"));
            if (quota != null && period != null) {
                return cpus(quota.trim(), period.trim());
            }
        }
        return OptionalInt.empty();
    }

    private static OptionalInt cpus(String quota, String period) {
        if (quota.equals("max") || quota.startsWith("-")) {
            return OptionalInt.empty();
        }
        try {
            long q = Long.parseLong(quota);
            long p = Long.parseLong(period);
            return q > 0 && p > 0 ? OptionalInt.of((int) Math.max(1, (q + p - 1) / p)) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.isReadable(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
