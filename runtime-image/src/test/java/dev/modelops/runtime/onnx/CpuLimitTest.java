package dev.modelops.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CPUs a container may use, from cgroup files laid out as v2 and v1 mount them. */
class CpuLimitTest {

    @TempDir
    Path root;

    @Test
    void cgroupV2QuotaRoundsUpAndNeverExceedsTheProcessors() throws Exception {
        Files.writeString(root.resolve("cpu.max"), "150000 100000\n");
        assertThat(CpuLimit.available(root, 64)).isEqualTo(2);
        Files.writeString(root.resolve("cpu.max"), "50000 100000\n");
        assertThat(CpuLimit.available(root, 64)).isEqualTo(1);
        Files.writeString(root.resolve("cpu.max"), "800000 100000\n");
        assertThat(CpuLimit.available(root, 4)).isEqualTo(4);
    }

    @Test
    void noQuotaMeansTheProcessorsTheJvmSees() throws Exception {
        assertThat(CpuLimit.available(root, 6)).isEqualTo(6);
        Files.writeString(root.resolve("cpu.max"), "max 100000\n");
        assertThat(CpuLimit.available(root, 6)).isEqualTo(6);
        Files.writeString(root.resolve("cpu.max"), "garbage");
        assertThat(CpuLimit.available(root, 6)).isEqualTo(6);
    }

    @Test
    void cgroupV1QuotaAndPeriod() throws Exception {
        Path cpu = Files.createDirectories(root.resolve("cpu,cpuacct"));
        Files.writeString(cpu.resolve("cpu.cfs_quota_us"), "300000\n");
        Files.writeString(cpu.resolve("cpu.cfs_period_us"), "100000\n");
        assertThat(CpuLimit.available(root, 32)).isEqualTo(3);
        Files.writeString(cpu.resolve("cpu.cfs_quota_us"), "-1\n");
        assertThat(CpuLimit.available(root, 32)).isEqualTo(32);
    }

    @Test
    void automaticThreadsFollowTheLimitLeaveTheEventLoopsTheirCoresAndNeverSpin() {
        // 2 CPUs, one event loop: the model gets one core, the event loop the other.
        assertThat(ModelSession.Threads.resolve(0, 0, 2, 1)).isEqualTo(new ModelSession.Threads(1, 1, false));
        assertThat(ModelSession.Threads.resolve(0, 0, 8, 1)).isEqualTo(new ModelSession.Threads(7, 1, false));
        assertThat(ModelSession.Threads.resolve(0, 0, 8, 2)).isEqualTo(new ModelSession.Threads(6, 1, false));
        // Never fewer than one, however many event loops.
        assertThat(ModelSession.Threads.resolve(0, 0, 1, 1)).isEqualTo(new ModelSession.Threads(1, 1, false));
        assertThat(ModelSession.Threads.resolve(0, 0, 2, 4)).isEqualTo(new ModelSession.Threads(1, 1, false));
        // Nothing reserved (validate): every CPU.
        assertThat(ModelSession.Threads.resolve(0, 0, 2, 0)).isEqualTo(new ModelSession.Threads(2, 1, false));
        // Given counts win.
        assertThat(ModelSession.Threads.resolve(3, 2, 16, 1)).isEqualTo(new ModelSession.Threads(3, 2, false));
    }
}
