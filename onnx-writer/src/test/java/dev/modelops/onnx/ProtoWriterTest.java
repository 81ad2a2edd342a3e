package dev.modelops.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtoWriterTest {

    @Test
    void protobufVarintsOfNegativeAndLargeValuesUseTheStandardEncoding() {
        assertThat(new ProtoWriter().varint(1, 300).toByteArray()).containsExactly(0x08, 0xAC, 0x02);
        byte[] negative = new ProtoWriter().varint(1, -1).toByteArray();
        assertThat(negative).hasSize(11);
        assertThat(negative[10]).isEqualTo((byte) 0x01);
    }
}
