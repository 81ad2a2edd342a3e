package dev.modelops.api;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonClassDescription;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * Generates the CRD YAML from the Java model (run by the build before the tests; see crds/pom.xml). It uses the
 * Fabric8 CRD generator as is, plus two rules of ours: printer columns keep the order in which the kind declares
 * them, since that order is what {@code kubectl get} shows (the generator would sort them by JSON path); and
 * {@code kubectl explain} has something to say about spec, status and every condition's fields, which the generator
 * leaves bare (it takes no description from the spec and status classes, and Kubernetes' Condition type has none).
 */
public final class CrdYamlGenerator {

    private CrdYamlGenerator() {
    }

    public static void main(String[] args) {
        File output = new File(args[0]);
        if (!output.isDirectory() && !output.mkdirs()) {
            throw new IllegalStateException("cannot create " + output);
        }
        int written = new CRDGenerator()
                .customResourceClasses(new ArrayList<>(Manifests.KINDS.values()))
                .forCRDVersions("v1")
                .withMinQuotes(true)
                // The generator keeps one post-processor: ours run in turn.
                .withPostProcessor(new CRDPostProcessor() {
                    @Override
                    public HasMetadata process(HasMetadata crd, String version) {
                        return new Descriptions(Manifests.KINDS)
                                .process(new DeclaredColumnOrder(Manifests.KINDS).process(crd, version), version);
                    }
                })
                .inOutputDir(output)
                .generate();
        if (written != Manifests.KINDS.size()) {
            throw new IllegalStateException("expected " + Manifests.KINDS.size() + " CRDs, generated " + written);
        }
    }

    /** Orders each version's additionalPrinterColumns as the kind's annotations list them. */
    static final class DeclaredColumnOrder implements CRDPostProcessor {
        private final Map<String, ? extends Class<?>> kinds;

        DeclaredColumnOrder(Map<String, ? extends Class<?>> kinds) {
            this.kinds = kinds;
        }

        @Override
        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            if (crd instanceof CustomResourceDefinition definition) {
                Class<?> type = kinds.get(definition.getSpec().getNames().getKind());
                List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                        .map(AdditionalPrinterColumn::name).toList();
                for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
                    if (version.getAdditionalPrinterColumns() != null) {
                        version.getAdditionalPrinterColumns().sort(Comparator
                                .comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
                    }
                }
            }
            return crd;
        }
    }

    /** Describes spec and status from their classes, and the fields of every conditions list. */
    static final class Descriptions implements CRDPostProcessor {
        /** Kubernetes' condition fields, as a person reading kubectl explain needs them. */
        static final Map<String, String> CONDITION_FIELDS = Map.of(
                "type",
                "The aspect this condition reports on, for example Ready. Ready is the summary that tools such as kstatus and Argo CD read.",
                "status", "True, False or Unknown.",
                "reason",
                "A machine-readable CamelCase word for why the condition has its status; the value to alert or automate on.",
                "message", "What happened and, where a person must act, what to do, in words.",
                "lastTransitionTime", "When status last changed (not when the condition was last checked).",
                "observedGeneration",
                "The metadata.generation of the object this condition was computed from; older than the object's generation means the operator has not yet acted on the latest spec.");

        private final Map<String, ? extends Class<?>> kinds;

        Descriptions(Map<String, ? extends Class<?>> kinds) {
            this.kinds = kinds;
        }

        @Override
        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            if (crd instanceof CustomResourceDefinition definition) {
                Class<?> type = kinds.get(definition.getSpec().getNames().getKind());
                for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
                    Map<String, JSONSchemaProps> top = version.getSchema().getOpenAPIV3Schema().getProperties();
                    describe(top.get("spec"), typeArgument(type, 0));
                    describe(top.get("status"), typeArgument(type, 1));
                    describeConditions(version.getSchema().getOpenAPIV3Schema());
                }
            }
            return crd;
        }

        private static void describe(JSONSchemaProps schema, Class<?> type) {
            JsonClassDescription description = type == null ? null : type.getAnnotation(JsonClassDescription.class);
            if (schema != null && description != null && schema.getDescription() == null) {
                schema.setDescription(description.value());
            }
        }

        private static void describeConditions(JSONSchemaProps schema) {
            if (schema == null) {
                return;
            }
            if (schema.getProperties() != null) {
                schema.getProperties().forEach((name, property) -> {
                    if (name.equals("conditions") && property.getItems() != null
                            && property.getItems().getSchema() != null) {
                        property.getItems().getSchema().getProperties().forEach((field, props) -> {
                            if (props.getDescription() == null && CONDITION_FIELDS.containsKey(field)) {
                                props.setDescription(CONDITION_FIELDS.get(field));
                            }
                        });
                    }
                    describeConditions(property);
                });
            }
            if (schema.getItems() != null) {
                describeConditions(schema.getItems().getSchema());
            }
        }

        /** The spec (0) or status (1) class of a CustomResource subclass. */
        private static Class<?> typeArgument(Class<?> kind, int index) {
            if (kind.getGenericSuperclass() instanceof java.lang.reflect.ParameterizedType parameterized
                    && CustomResource.class.equals(parameterized.getRawType())) {
                return (Class<?>) parameterized.getActualTypeArguments()[index];
            }
            return null;
        }
    }
}
