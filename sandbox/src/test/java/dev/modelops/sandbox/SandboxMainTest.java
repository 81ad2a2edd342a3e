package dev.modelops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The command a user runs: it says where the kubeconfig is, kubectl works, and SIGTERM (Ctrl-C) stops everything. */
class SandboxMainTest {

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void startsEmptyPrintsTheKubeconfigAndStopsEveryProcessOnSigterm() throws Exception {
        Path repo = Path.of(System.getProperty("modelops.repo", "..")).toAbsolutePath().normalize();
        Path dir = Files.createDirectories(repo.resolve("sandbox/target/main-" + System.currentTimeMillis()));
        // Output goes to a file: a pipe read while the process exits loses its last lines (the JDK closes it).
        Path output = dir.resolve("sandbox.out");
        Process sandbox = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SandboxMain.class.getName(), "--empty", "--repo",
                repo.toString(), "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        List<String> lines = new ArrayList<>();
        long operatorPid = -1;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(output).contains("Ctrl-C stops")) {
                assertThat(System.nanoTime()).as("started in time: " + Files.readString(output))
                        .isLessThan(deadline);
                assertThat(sandbox.isAlive()).as("running: " + Files.readString(output)).isTrue();
                Thread.sleep(200);
            }
            lines.addAll(Files.readAllLines(output));
            Pattern pid = Pattern.compile("operator:\\s+pid (\\d+)");
            for (String line : lines) {
                Matcher m = pid.matcher(line);
                if (m.find()) {
                    operatorPid = Long.parseLong(m.group(1));
                }
            }
            assertThat(lines).anyMatch(l -> l.contains("test-grade Kubernetes API"))
                    .anyMatch(l -> l.equals("kubeconfig:  " + dir.resolve("kubeconfig")));
            assertThat(operatorPid).isPositive();
            assertThat(ProcessHandle.of(operatorPid)).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());

            Kubectl.Result nodes = new Kubectl(dir.resolve("kubeconfig"), dir).run("get", "nodes");
            assertThat(nodes.ok().out()).contains("sandbox");

            sandbox.destroy(); // SIGTERM, what Ctrl-C amounts to for the JVM's shutdown hooks
            assertThat(sandbox.waitFor(60, TimeUnit.SECONDS)).as("the sandbox exits").isTrue();
        } finally {
            sandbox.destroyForcibly();
        }
        lines = Files.readAllLines(output);
        assertThat(lines).anyMatch(l -> l.startsWith("Stopping: the operator, every pod process"));
        long pid = operatorPid;
        assertThat(pid).isPositive();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("operator alive").isFalse();
    }
}
