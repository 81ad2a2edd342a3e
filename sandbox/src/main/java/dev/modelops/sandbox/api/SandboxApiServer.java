package dev.modelops.sandbox.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * The embedded API server: the Fabric8 mock server in CRUD mode (a test-grade server, not a cluster) on a loopback
 * port, with the ModelOps CRDs installed and the additions of {@link SandboxDispatcher}.
 */
public final class SandboxApiServer implements AutoCloseable {

    public static final String USER_AGENT_PREFIX = "modelops-sandbox/";
    static final List<String> CRD_FILES = List.of("modeltrainings.modelops.dev-v1.yml",
            "modelversions.modelops.dev-v1.yml", "modeldeployments.modelops.dev-v1.yml");
    private static final ObjectMapper YAML = new YAMLMapper();

    private final ApiResources resources = new ApiResources();
    private final WriteLog writes = new WriteLog();
    private final SandboxDispatcher dispatcher;
    private final KubernetesMockServer server;
    private final int port;

    private SandboxApiServer(int requestedPort, Clock clock) {
        this.dispatcher = new SandboxDispatcher(resources, writes, clock);
        this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), requestedPort);
        this.port = server.getPort();
        dispatcher.serverAddress("127.0.0.1:" + port);
    }

    /** Starts on {@code port} (0: any free port) and installs the ModelOps CRDs. */
    public static SandboxApiServer start(int port, Clock clock) {
        SandboxApiServer api = new SandboxApiServer(port, clock);
        try (KubernetesClient client = api.client("installer")) {
            for (String file : CRD_FILES) {
                api.installCrd(client, readCrd(file));
            }
        }
        return api;
    }

    private static JsonNode readCrd(String file) {
        try (InputStream in = SandboxApiServer.class.getResourceAsStream("/dev/modelops/sandbox/crds/" + file)) {
            if (in == null) {
                throw new IllegalStateException("CRD " + file + " is not in the sandbox jar");
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void installCrd(KubernetesClient client, JsonNode crdYaml) {
        CustomResourceDefinition crd = client.getKubernetesSerialization().convertValue(crdYaml,
                CustomResourceDefinition.class);
        dispatcher.expectCustomResource(CustomResourceDefinitionContext.fromCrd(crd));
        resources.addCrd(crdYaml);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public ApiResources resources() {
        return resources;
    }

    public WriteLog writes() {
        return writes;
    }

    public SandboxDispatcher dispatcher() {
        return dispatcher;
    }

    public Config config(String component) {
        return new ConfigBuilder(Config.empty()).withMasterUrl(url()).withNamespace("default")
                .withUserAgent(USER_AGENT_PREFIX + component).withRequestRetryBackoffLimit(3).build();
    }

    /** A client of the sandbox's own components, which identify themselves as {@code modelops-sandbox/<component>}. */
    public KubernetesClient client(String component) {
        return new KubernetesClientBuilder().withConfig(config(component)).build();
    }

    /** Writes a kubeconfig for this server (context {@code modelops-sandbox}, namespace default) and returns it. */
    public Path writeKubeconfig(Path file) {
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: modelops-sandbox
                  cluster:
                    server: %s
                users:
                - name: modelops-sandbox
                  user: {}
                contexts:
                - name: modelops-sandbox
                  context:
                    cluster: modelops-sandbox
                    user: modelops-sandbox
                    namespace: default
                current-context: modelops-sandbox
                """.formatted(url());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        server.destroy();
    }
}
