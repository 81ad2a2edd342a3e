package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonClassDescription("The Service that clients call.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceSpec {

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Service port; the pods listen on 8080. Defaults to 80.")
    private Integer port;

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }
}
