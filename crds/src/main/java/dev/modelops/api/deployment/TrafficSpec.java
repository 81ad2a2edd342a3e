package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.ValidationRule;

@JsonClassDescription("How requests are split between stable and canary.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.mode) || self.mode != 'GatewayAPI' || (has(self.gatewayAPI) && has(self.gatewayAPI.parentRefs) && size(self.gatewayAPI.parentRefs) > 0)", message = "traffic mode GatewayAPI needs gatewayAPI.parentRefs: the Gateway the HTTPRoute attaches to", reason = "FieldValueRequired")
public class TrafficSpec {

    @JsonPropertyDescription("Replicas (default: weight by pod ratio behind one Service) or GatewayAPI (exact weights on an HTTPRoute the operator owns).")
    private TrafficMode mode;

    @JsonPropertyDescription("The Gateway the operator's HTTPRoute attaches to, for mode GatewayAPI.")
    private GatewayApiTraffic gatewayAPI;

    public TrafficMode getMode() {
        return mode;
    }

    public void setMode(TrafficMode mode) {
        this.mode = mode;
    }

    public GatewayApiTraffic getGatewayAPI() {
        return gatewayAPI;
    }

    public void setGatewayAPI(GatewayApiTraffic gatewayAPI) {
        this.gatewayAPI = gatewayAPI;
    }
}
