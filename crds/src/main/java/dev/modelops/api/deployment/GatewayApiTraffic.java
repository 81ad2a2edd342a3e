package dev.modelops.api.deployment;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;

@JsonClassDescription("Where the operator's HTTPRoute attaches.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayApiTraffic {

    @Size(max = 8)
    @JsonPropertyDescription("Gateways (or listeners of them) the route attaches to.")
    private List<GatewayParentReference> parentRefs;

    @Size(max = 16)
    @JsonPropertyDescription("Host names the route answers for.")
    private List<@Size(max = 253) String> hostnames;

    public List<GatewayParentReference> getParentRefs() {
        return parentRefs;
    }

    public void setParentRefs(List<GatewayParentReference> parentRefs) {
        this.parentRefs = parentRefs;
    }

    public List<String> getHostnames() {
        return hostnames;
    }

    public void setHostnames(List<String> hostnames) {
        this.hostnames = hostnames;
    }
}
