package dev.modelops.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.marcnuri.helm.Helm;

import dev.modelops.api.ModelOps;
import dev.modelops.validation.CrdValidator;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * The sample Applications render: they read strictly as Argo CD Applications (the fields used here, with Argo CD's
 * names), every path they point at exists in this repository and holds valid manifests (the chart renders with Helm;
 * the directory's selected files are objects the API server would accept, without duplicates), and the CRDs come
 * before the custom resources.
 */
class ApplicationSamplesTest {

    /** The fields of argoproj.io/v1alpha1 Application the samples use, under Argo CD's JSON names. */
    record Application(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {
    }

    record Spec(String project, Source source, Destination destination, SyncPolicy syncPolicy) {
    }

    record Source(String repoURL, String targetRevision, String path, HelmSource helm, Directory directory) {
    }

    record HelmSource(String releaseName, Map<String, Object> valuesObject) {
    }

    record Directory(Boolean recurse, String include, String exclude) {
    }

    record Destination(String server, String name, String namespace) {
    }

    record SyncPolicy(Automated automated, List<String> syncOptions, Retry retry) {
    }

    record Automated(Boolean prune, Boolean selfHeal) {
    }

    record Retry(Integer limit, Backoff backoff) {
    }

    record Backoff(String duration, Integer factor, String maxDuration) {
    }

    /** Argo CD's sync options (docs/user-guide/sync-options.md), each written as Name=value. */
    static final Set<String> SYNC_OPTIONS = Set.of("Validate", "SkipDryRunOnMissingResource", "CreateNamespace",
            "PruneLast", "ApplyOutOfSyncOnly", "PrunePropagationPolicy", "Replace", "ServerSideApply",
            "FailOnSharedResource", "RespectIgnoreDifferences", "Prune", "Delete", "Force");
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final Pattern DURATION = Pattern.compile(ModelOps.DURATION_PATTERN);
    static final String WAVE = "argocd.argoproj.io/sync-wave";

    static List<Application> applications;

    @BeforeAll
    static void read() throws IOException {
        applications = new ArrayList<>();
        Path file = Customizations.argocdDir().resolve("application-samples.yaml");
        try (MappingIterator<Application> it = Customizations.YAML.readerFor(Application.class)
                .readValues(file.toFile())) {
            while (it.hasNext()) {
                applications.add(it.next());
            }
        }
    }

    @Test
    void applicationsHaveWhatArgoCdRequires() {
        assertThat(applications).extracting(a -> a.metadata().getName())
                .containsExactly("modelops", "modelops-samples");
        for (Application app : applications) {
            String name = app.metadata().getName();
            assertThat(app.apiVersion()).isEqualTo("argoproj.io/v1alpha1");
            assertThat(app.kind()).isEqualTo("Application");
            assertThat(name).matches(DNS_LABEL);
            assertThat(app.metadata().getNamespace()).as("%s lives where Argo CD looks", name).isEqualTo("argocd");
            assertThat(app.spec().project()).as("%s project", name).isNotBlank();
            Source source = app.spec().source();
            assertThat(source.repoURL()).as("%s repoURL", name).startsWith("https://");
            assertThat(source.targetRevision()).as("%s targetRevision", name).isNotBlank();
            assertThat(source.path()).as("%s path", name).isNotBlank().doesNotStartWith("/");
            assertThat(source.helm() == null || source.directory() == null).as("%s: one source type", name).isTrue();
            Destination destination = app.spec().destination();
            assertThat(destination.server() == null ^ destination.name() == null)
                    .as("%s destination: server or name", name).isTrue();
            assertThat(destination.namespace()).as("%s destination namespace", name).matches(DNS_LABEL);
            SyncPolicy sync = app.spec().syncPolicy();
            if (sync != null && sync.syncOptions() != null) {
                for (String option : sync.syncOptions()) {
                    assertThat(option).as("%s sync option", name).contains("=");
                    assertThat(SYNC_OPTIONS).as("%s sync option %s", name, option).contains(option.substring(0,
                            option.indexOf('=')));
                }
            }
            if (sync != null && sync.retry() != null && sync.retry().backoff() != null) {
                assertThat(sync.retry().backoff().duration()).matches(DURATION);
                assertThat(sync.retry().backoff().maxDuration()).matches(DURATION);
            }
        }
    }

    @Test
    void theChartExistsAndRenders() throws IOException {
        Application app = application("modelops");
        Path chart = repoPath(app);
        assertThat(chart.resolve("Chart.yaml")).as("a Helm chart at %s", app.spec().source().path()).isRegularFile();
        String releaseName = app.spec().source().helm() == null
                ? app.metadata().getName()
                : app.spec().source().helm().releaseName();
        String rendered = new Helm(chart).template().withName(releaseName)
                .withNamespace(app.spec().destination().namespace()).call();
        List<JsonNode> objects = documents(rendered);
        assertThat(objects).extracting(o -> o.path("kind").asText()).contains("Deployment", "ClusterRole",
                "ServiceAccount");
        objects.forEach(ApplicationSamplesTest::isAnObject);
        // Helm (and Argo CD, which renders with the CRDs included) installs crds/ before the templates.
        Set<String> crds = new HashSet<>();
        for (Path file : yamlFiles(chart.resolve("crds"), false)) {
            for (JsonNode crd : documents(Files.readString(file))) {
                isAnObject(crd);
                assertThat(crd.path("kind").asText()).isEqualTo("CustomResourceDefinition");
                crds.add(crd.at("/spec/names/kind").asText());
            }
        }
        assertThat(crds).containsExactlyInAnyOrder("ModelDeployment", "ModelTraining", "ModelVersion");
    }

    @Test
    void theSamplesExistAndAreObjectsTheApiServerAccepts() throws IOException {
        Application app = application("modelops-samples");
        Path dir = repoPath(app);
        assertThat(dir).isDirectory();
        Directory directory = app.spec().source().directory();
        List<Path> selected = selected(dir, directory);
        assertThat(selected).as("files %s selects", directory).isNotEmpty();
        if (directory != null && directory.include() != null) {
            // Argo CD ignores a name that matches nothing; here every name listed must be a file.
            Matcher braces = Pattern.compile("^\\{(.*)}$").matcher(directory.include());
            if (braces.matches()) {
                for (String name : braces.group(1).split(",")) {
                    assertThat(dir.resolve(name.trim())).as("included file").isRegularFile();
                }
            }
        }
        Set<String> identities = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        for (Path file : selected) {
            for (JsonNode object : documents(Files.readString(file))) {
                isAnObject(object);
                String namespace = object.at("/metadata/namespace").asText(app.spec().destination().namespace());
                String identity = object.path("apiVersion").asText() + "/" + object.path("kind").asText() + " "
                        + namespace + "/" + object.at("/metadata/name").asText();
                assertThat(identities.add(identity)).as("%s appears once in the Application", identity).isTrue();
                String kind = object.path("kind").asText();
                kinds.add(kind);
                if (object.path("apiVersion").asText().startsWith(ModelOps.GROUP + "/")) {
                    FixturesTest.STRICT.treeToValue(object, FixturesTest.KINDS.get(kind));
                    assertThat(validator(kind).validateCreate(object)).as("%s in %s", kind, file).isEmpty();
                }
            }
        }
        assertThat(kinds).contains("ModelTraining", "ModelVersion", "ModelDeployment");
    }

    @Test
    void theCrdsComeBeforeTheCustomResources() {
        Application operator = application("modelops");
        Application samples = application("modelops-samples");
        assertThat(wave(operator)).as("the operator's (and CRDs') sync wave is before the samples'")
                .isLessThan(wave(samples));
        assertThat(samples.spec().syncPolicy().syncOptions())
                .as("the samples can sync while the CRDs are still missing (Applications applied directly)")
                .contains("SkipDryRunOnMissingResource=true");
        assertThat(samples.spec().syncPolicy().retry()).as("and are retried until the CRDs arrive").isNotNull();
        assertThat(samples.spec().syncPolicy().automated().prune())
                .as("trainings are never pruned automatically: created again, they train again").isFalse();
    }

    private static int wave(Application app) {
        Map<String, String> annotations = app.metadata().getAnnotations();
        return annotations == null || !annotations.containsKey(WAVE) ? 0 : Integer.parseInt(annotations.get(WAVE));
    }

    private static Application application(String name) {
        return applications.stream().filter(a -> a.metadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static Path repoPath(Application app) {
        Path path = FixturesTest.repoDir().resolve(app.spec().source().path()).normalize();
        assertThat(path).as("%s points inside the repository", app.metadata().getName())
                .startsWith(FixturesTest.repoDir()).exists();
        return path;
    }

    /** The manifests Argo CD takes from a directory source: .yaml, .yml and .json, filtered by include/exclude. */
    private static List<Path> selected(Path dir, Directory directory) throws IOException {
        boolean recurse = directory != null && Boolean.TRUE.equals(directory.recurse());
        PathMatcher include = directory == null || directory.include() == null
                ? p -> true
                : FileSystems.getDefault().getPathMatcher("glob:" + directory.include());
        PathMatcher exclude = directory == null || directory.exclude() == null
                ? p -> false
                : FileSystems.getDefault().getPathMatcher("glob:" + directory.exclude());
        List<Path> files = new ArrayList<>();
        for (Path file : yamlFiles(dir, recurse)) {
            Path relative = dir.relativize(file);
            if (include.matches(relative) && !exclude.matches(relative)) {
                files.add(file);
            }
        }
        return files;
    }

    private static List<Path> yamlFiles(Path dir, boolean recurse) throws IOException {
        try (Stream<Path> files = recurse ? Files.walk(dir) : Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
                    .sorted().toList();
        }
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = Customizations.YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    documents.add(doc);
                }
            }
        }
        return documents;
    }

    private static void isAnObject(JsonNode object) {
        assertThat(object.path("apiVersion").asText()).as("apiVersion of %s", object.path("kind")).isNotBlank();
        assertThat(object.path("kind").asText()).as("kind").isNotBlank();
        assertThat(object.at("/metadata/name").asText()).as("name of a %s", object.path("kind").asText())
                .isNotBlank();
    }

    private static CrdValidator validator(String kind) throws IOException {
        return CrdValidator.load(FixturesTest.repoDir().resolve("crds").resolve(kind.toLowerCase() + "s."
                + ModelOps.GROUP + "-v1.yml"));
    }
}
