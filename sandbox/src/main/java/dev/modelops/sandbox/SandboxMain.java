package dev.modelops.sandbox;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import dev.modelops.sandbox.walk.LifecycleWalk;

/**
 * {@code java -jar sandbox/target/modelops-sandbox.jar [--empty] [--port N] [--dir DIR] [--repo DIR]}: starts the
 * sandbox, walks the Iris lifecycle (unless {@code --empty}), then stays up for kubectl and curl until interrupted.
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean empty = false;
        int port = 0;
        Path repo = null;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--empty" -> empty = true;
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--repo" -> repo = Path.of(args[++i]);
                case "-h", "--help" -> {
                    usage(System.out);
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    usage(System.err);
                    System.exit(2);
                }
            }
        }
        if (repo == null) {
            repo = defaultRepo();
        }
        if (dir == null) {
            dir = repo.resolve("sandbox/target/run");
        }
        Sandbox.Options options = new Sandbox.Options(repo.toAbsolutePath().normalize(),
                dir.toAbsolutePath().normalize(), port, true);
        System.out.println("ModelOps sandbox: a test-grade Kubernetes API (the Fabric8 mock server in CRUD mode, not a "
                + "cluster), the operator, and a local kubelet that runs pods as processes on this machine.");
        Sandbox sandbox = Sandbox.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping: the operator, every pod process, the API server.");
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        String kubectl = "kubectl --kubeconfig " + options.kubeconfig();
        System.out.println("API server:  " + sandbox.api().url());
        System.out.println("kubeconfig:  " + options.kubeconfig());
        System.out.println("             export KUBECONFIG=" + options.kubeconfig());
        System.out.println("operator:    pid " + sandbox.operator().pid() + ", log " + sandbox.operator().log());
        System.out.println("pods:        " + options.workDir().resolve("pods") + " (pvc:// claims in "
                + options.pvcRoot() + ")");
        if (!empty) {
            boolean ok = new LifecycleWalk(sandbox, System.out).run();
            if (!ok) {
                System.out.println("The walk stopped early; the sandbox stays up so you can look: " + kubectl
                        + " get modelops,jobs,pods");
            }
        }
        System.out.println("\nReady for kubectl and curl. Try:  " + kubectl + " get modelops");
        System.out.println("Ctrl-C stops the sandbox and every process it started.");
        stopped.await();
    }

    /** The repository the jar was built in: {@code <repo>/sandbox/target/modelops-sandbox.jar}. */
    private static Path defaultRepo() throws URISyntaxException {
        Path jar = Path.of(SandboxMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path target = jar.getParent();
        return target.getParent().getParent();
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: java -jar sandbox/target/modelops-sandbox.jar [--empty] [--port N] [--dir DIR] [--repo DIR]
                  --empty     start with nothing applied (default: walk the Iris lifecycle first)
                  --port N    the API server's port on 127.0.0.1 (default: a free port)
                  --dir DIR   where the kubeconfig, logs, pods and pvc:// claims go (default: sandbox/target/run)
                  --repo DIR  the ModelOps checkout whose built jars to run (default: the one this jar is in)""");
    }
}
