package dev.modelops.sandbox.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KubeletPiecesTest {

    @Test
    void imagesMatchByRepositoryWhateverTheTagOrDigest() {
        assertThat(ImageCatalog.repository("ghcr.io/modelops-dev/iris-trainer:0.1.0"))
                .isEqualTo("ghcr.io/modelops-dev/iris-trainer");
        assertThat(ImageCatalog.repository("ghcr.io/modelops-dev/iris-trainer@sha256:abc"))
                .isEqualTo("ghcr.io/modelops-dev/iris-trainer");
        assertThat(ImageCatalog.repository("localhost:5000/runtime")).isEqualTo("localhost:5000/runtime");
        assertThat(ImageCatalog.repository("localhost:5000/runtime:1")).isEqualTo("localhost:5000/runtime");
    }

    @Test
    void variableReferencesExpandFromEarlierVariables() {
        Map<String, String> env = Map.of("A", "x", "B", "y");
        assertThat(PodWorker.expand("$(A)-$(B)/$(C)", env)).isEqualTo("x-y/$(C)");
        assertThat(PodWorker.expand("plain", env)).isEqualTo("plain");
    }

    @Test
    void podAddressesAreDistinctLoopbackAddressesSkippingNetworkAndBroadcast() {
        PodAddresses addresses = new PodAddresses();
        assertThat(addresses.allocate()).isEqualTo("127.0.0.2");
        assertThat(addresses.allocate()).isEqualTo("127.0.0.3");
        for (int i = 4; i < 255; i++) {
            addresses.allocate();
        }
        assertThat(addresses.allocate()).isEqualTo("127.0.1.1");
    }
}
