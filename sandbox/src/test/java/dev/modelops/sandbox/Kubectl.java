package dev.modelops.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl on the PATH, pointed at the sandbox's kubeconfig, with its cache under target/. */
final class Kubectl {

    record Result(int exitCode, String out, String err) {

        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("kubectl failed (" + exitCode + "): " + err + out);
            }
            return this;
        }
    }

    private final Path kubeconfig;
    private final Path cacheDir;
    private final Path workDir;

    Kubectl(Path kubeconfig, Path workDir) {
        this.kubeconfig = kubeconfig;
        this.workDir = workDir;
        this.cacheDir = workDir.resolve("kubectl-cache");
    }

    Result run(String... args) {
        return exec(null, args);
    }

    /** {@code kubectl apply -f -} of a manifest. */
    Result apply(String manifest) {
        return exec(manifest, "apply", "-f", "-");
    }

    /** Runs kubectl with {@code stdin}; bounded to 60 seconds. */
    private Result exec(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cacheDir.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(workDir, "kubectl", ".out");
            Path err = Files.createTempFile(workDir, "kubectl", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().put("HOME", workDir.toString());
            Process p = builder.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
            }
            Result result = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new AssertionError("cannot run kubectl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code kubectl get KIND NAME -o jsonpath=EXPR}, "" when the object is absent. */
    String jsonpath(String kind, String name, String expression) {
        Result r = run("get", kind, name, "-o", "jsonpath=" + expression);
        return r.exitCode() == 0 ? r.out().trim() : "";
    }
}
