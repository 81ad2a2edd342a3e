package dev.modelops.api;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;

/**
 * Generates the CRD YAML from the Java model (run by the build before the tests; see crds/pom.xml). It uses the
 * Fabric8 CRD generator as is, plus one rule of ours: printer columns keep the order in which the kind declares
 * them, since that order is what {@code kubectl get} shows (the generator would sort them by JSON path).
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
                .withPostProcessor(new DeclaredColumnOrder(Manifests.KINDS))
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
}
