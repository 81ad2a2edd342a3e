package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonClassDescription("A Gateway API parent reference.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayParentReference {

    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Gateway name.")
    private String name;

    @Size(max = 63)
    @JsonPropertyDescription("Gateway namespace; defaults to the deployment's.")
    private String namespace;

    @Size(max = 253)
    @JsonPropertyDescription("Listener name within the Gateway.")
    private String sectionName;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getSectionName() {
        return sectionName;
    }

    public void setSectionName(String sectionName) {
        this.sectionName = sectionName;
    }
}
