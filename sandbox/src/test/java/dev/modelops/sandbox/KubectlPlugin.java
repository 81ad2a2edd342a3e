package dev.modelops.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The kubectl plugin ({@code cli/kubectl-modelops}) as a user runs it: the script from the repository run by bash,
 * or kubectl finding it on the PATH as {@code kubectl modelops}. kubectl's cache goes under the work directory.
 */
final class KubectlPlugin {

    record Result(int exitCode, String out, String err) {

        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("kubectl modelops failed (" + exitCode + "): " + err + out);
            }
            return this;
        }
    }

    private final Path script;
    private final Path kubeconfig;
    private final Path workDir;

    KubectlPlugin(Path repo, Path kubeconfig, Path workDir) {
        this.script = repo.resolve("cli/kubectl-modelops");
        this.kubeconfig = kubeconfig;
        this.workDir = workDir;
    }

    /** {@code bash cli/kubectl-modelops --kubeconfig=... ARGS}: the script from the repository path. */
    Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), "--kubeconfig=" + kubeconfig));
        command.addAll(List.of(args));
        return exec(command, Map.of());
    }

    /**
     * {@code kubectl modelops ARGS} with the repository's {@code cli/} first on the PATH, so kubectl's plugin
     * discovery finds it; the kubeconfig comes from KUBECONFIG, which kubectl hands on to the plugin.
     */
    Result viaKubectl(String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl"));
        command.addAll(List.of(args));
        return exec(command, Map.of("PATH", script.getParent() + File.pathSeparator + System.getenv("PATH"),
                "KUBECONFIG", kubeconfig.toString()));
    }

    /** Starts a long-running command ({@code status --watch}) with its stdout and stderr in {@code output}. */
    Process start(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), "--kubeconfig=" + kubeconfig));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("HOME", workDir.toString());
        Process p = builder.start();
        p.getOutputStream().close();
        return p;
    }

    /** Bounded to 90 seconds (an action with --wait waits 60 seconds at most by default). */
    private Result exec(List<String> command, Map<String, String> env) {
        try {
            Path out = Files.createTempFile(workDir, "plugin", ".out");
            Path err = Files.createTempFile(workDir, "plugin", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().put("HOME", workDir.toString());
            builder.environment().remove("KUBECONFIG");
            builder.environment().putAll(env);
            Process p = builder.start();
            p.getOutputStream().close();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish in 90 s");
            }
            Result result = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
