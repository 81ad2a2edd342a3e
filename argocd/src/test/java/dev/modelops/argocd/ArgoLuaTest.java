package dev.modelops.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelops.argocd.ArgoLua.HealthStatus;
import dev.modelops.argocd.ArgoLua.ResourceAction;
import dev.modelops.argocd.ArgoLua.ScriptException;
import dev.modelops.argocd.Customizations.ActionTest;
import dev.modelops.argocd.Customizations.DiscoveryTest;
import dev.modelops.argocd.Customizations.ExpectedAction;
import dev.modelops.argocd.Customizations.HealthTest;
import dev.modelops.argocd.Customizations.Kind;

/** The runner itself: it fails on wrong expectations, and its Lua state is Argo CD's, not more. */
class ArgoLuaTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    static final JsonNode OBJ;

    static {
        try {
            OBJ = json("{\"apiVersion\":\"modelops.dev/v1alpha1\",\"kind\":\"ModelDeployment\",\"metadata\":"
                    + "{\"name\":\"iris\",\"generation\":3,\"labels\":{}},\"spec\":{\"replicas\":4,\"weights\":[25,50]},"
                    + "\"status\":{\"ratio\":0.25,\"gone\":null,\"ok\":true}}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // The runner can fail.

    @Test
    void aWrongExpectedHealthStatusIsDetected() {
        Kind kind = LuaCustomizationsTest.kind("ModelDeployment");
        HealthTest right = kind.healthTests().tests().stream()
                .filter(t -> t.healthStatus().status().equals("Healthy")).findFirst().orElseThrow();
        CustomizationChecks.health(kind, right);
        HealthTest wrongStatus = new HealthTest(new HealthStatus("Degraded", right.healthStatus().message()),
                right.inputPath());
        assertThatThrownBy(() -> CustomizationChecks.health(kind, wrongStatus)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Degraded").hasMessageContaining("Healthy");
        HealthTest wrongMessage = new HealthTest(new HealthStatus("Healthy", "serving something else"),
                right.inputPath());
        assertThatThrownBy(() -> CustomizationChecks.health(kind, wrongMessage)).isInstanceOf(AssertionError.class);
    }

    @Test
    void aWrongDiscoveryResultIsDetected() {
        Kind kind = LuaCustomizationsTest.kind("ModelDeployment");
        DiscoveryTest right = kind.actionTests().discoveryTests().get(0);
        CustomizationChecks.discovery(kind, right);
        List<ExpectedAction> flipped = right.result().stream().map(a -> a.name().equals("promote")
                ? new ExpectedAction(a.name(), !Boolean.TRUE.equals(a.disabled()), null, null)
                : a).toList();
        assertThatThrownBy(() -> CustomizationChecks.discovery(kind, new DiscoveryTest(right.inputPath(), flipped)))
                .isInstanceOf(AssertionError.class);
        List<ExpectedAction> missing = right.result().subList(1, right.result().size());
        assertThatThrownBy(() -> CustomizationChecks.discovery(kind, new DiscoveryTest(right.inputPath(), missing)))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void aWrongActionOutputOrErrorIsDetected() {
        Kind kind = LuaCustomizationsTest.kind("ModelDeployment");
        ActionTest right = kind.actionTests().actionTests().stream().filter(t -> t.action().equals("abort")
                && t.expectedOutputPath() != null).findFirst().orElseThrow();
        CustomizationChecks.action(kind, right);
        // The input itself is not the output: the annotation is missing.
        ActionTest unchanged = new ActionTest("abort", right.inputPath(), right.inputPath(), null, null);
        assertThatThrownBy(() -> CustomizationChecks.action(kind, unchanged)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("modelops.dev/action");
        // Another action's output has another value.
        ActionTest otherAction = new ActionTest("pause", right.inputPath(), right.expectedOutputPath(), null, null);
        assertThatThrownBy(() -> CustomizationChecks.action(kind, otherAction)).isInstanceOf(AssertionError.class);
        ActionTest noError = new ActionTest("abort", right.inputPath(), null, "some error", null);
        assertThatThrownBy(() -> CustomizationChecks.action(kind, noError)).isInstanceOf(AssertionError.class);
    }

    // The Lua state is the one Argo CD gives argocd-cm scripts.

    @ParameterizedTest
    @ValueSource(strings = {"return {status = string.format('%s', 'Healthy')}", "return {status = ('x'):upper()}",
            "return {status = tostring(math.floor(1.5))}", "io.write('x')", "os.exit(1)", "os.execute('true')",
            "return {status = debug.traceback()}", "coroutine.yield()", "require('string')",
            "return {status = tostring(bit32.band(1, 1))}", "return {status = tostring(table.unpack({'x'}))}",
            "return {status = tostring(rawlen({}))}", "luajava.bindClass('java.lang.System')",
            "require('org.luaj.vm2.lib.StringLib')"})
    void theStandardLibrariesArgoCdLeavesOutAreNotThere(String script) {
        assertThatThrownBy(() -> ArgoLua.health(script, OBJ)).isInstanceOf(ScriptException.class);
    }

    @Test
    void baseTableAndSafeOsAreThere() {
        String script = """
                local os2 = require("os")
                local parts = {}
                table.insert(parts, tostring(os.time() > 0))
                table.insert(parts, os2.date("%Y-%m", 86400 * 100))
                table.insert(parts, tostring(os.time({year = 2026, month = 11, day = 20}) > 0))
                table.insert(parts, os.date("*t", 86400 * 100).year)
                local keys = {}
                for k, _ in pairs({b = 1, a = 2}) do table.insert(keys, k) end
                table.sort(keys)
                table.insert(parts, table.concat(keys, ","))
                table.insert(parts, select("#", 1, 2, 3))
                table.insert(parts, tostring(tonumber("12") + 1))
                local ok, err = pcall(function() error("boom", 0) end)
                table.insert(parts, tostring(ok) .. ":" .. err)
                table.remove(parts, 1)
                return {status = "Healthy", message = table.concat(parts, "|")}
                """;
        assertThat(ArgoLua.health(script, OBJ))
                .isEqualTo(new HealthStatus("Healthy", "1970-04|true|1970|a,b|3|13|false:boom"));
    }

    @Test
    void objIsTheResourceValueByValue() {
        String script = """
                local m = ""
                m = m .. obj.metadata.name .. "," .. tostring(obj.metadata.generation + 1)
                m = m .. "," .. tostring(#obj.spec.weights) .. "," .. tostring(obj.spec.weights[2])
                m = m .. "," .. tostring(obj.status.ratio * 4) .. "," .. tostring(obj.status.gone == nil)
                m = m .. "," .. tostring(obj.status.ok) .. "," .. type(obj.metadata.labels)
                m = m .. "," .. tostring(next(actionParams) == nil)
                return {status = "Healthy", message = m}
                """;
        assertThat(ArgoLua.health(script, OBJ).message()).isEqualTo("iris,4,2,50,1,true,true,table,true");
    }

    @Test
    void healthResultsAreReadAsArgoCdReadsThem() {
        assertThat(ArgoLua.health("return {status = 'Fine', message = 'm'}", OBJ))
                .isEqualTo(new HealthStatus("Unknown", ArgoLua.INVALID_HEALTH_STATUS));
        assertThat(ArgoLua.health("return nil", OBJ)).isEqualTo(new HealthStatus("", ""));
        assertThat(ArgoLua.health("local hs = {}", OBJ)).isEqualTo(new HealthStatus("", ""));
        assertThat(ArgoLua.health("return {}", OBJ)).isEqualTo(new HealthStatus("", ""));
        assertThat(ArgoLua.health("return {status = 'Healthy', message = 3}", OBJ))
                .isEqualTo(new HealthStatus("", ""));
        assertThat(ArgoLua.health("return {status = 'Degraded'}", OBJ)).isEqualTo(new HealthStatus("Degraded", ""));
        // The state's stack top: the last value returned.
        assertThat(ArgoLua.health("return 1, {status = 'Suspended', message = 'x'}", OBJ))
                .isEqualTo(new HealthStatus("Suspended", "x"));
        assertThatThrownBy(() -> ArgoLua.health("return 'Healthy'", OBJ)).isInstanceOf(ScriptException.class)
                .hasMessage("expect table output from Lua script, not string");
        assertThatThrownBy(() -> ArgoLua.health("return {status = obj.missing.field}", OBJ))
                .isInstanceOf(ScriptException.class);
        assertThatThrownBy(() -> ArgoLua.health("return {status = 'Healthy'", OBJ))
                .isInstanceOf(ScriptException.class);
    }

    @Test
    void resultsAreEncodedWithGopherJsonsRules() {
        assertThat(ArgoLua.toJson(ArgoLua.run("return {}", OBJ, Map.of())).toString()).isEqualTo("[]");
        assertThat(ArgoLua.toJson(ArgoLua.run("return {1, 'a', true}", OBJ, Map.of())).toString())
                .isEqualTo("[1,\"a\",true]");
        assertThat(ArgoLua.toJson(ArgoLua.run("return {a = {b = 0.5}}", OBJ, Map.of())).toString())
                .isEqualTo("{\"a\":{\"b\":0.5}}");
        for (String bad : new String[]{"return {1, 2, [4] = 4}", "return {1, a = 2}", "return {[true] = 1}",
                "local t = {} return {a = t, b = t}", "return {f = print}"}) {
            assertThatThrownBy(() -> ArgoLua.toJson(ArgoLua.run(bad, OBJ, Map.of()))).as(bad)
                    .isInstanceOf(ScriptException.class);
        }
    }

    @Test
    void discoveryResultsAreReadAsArgoCdReadsThem() {
        assertThat(ArgoLua.discovery("return {}", OBJ)).isEmpty();
        assertThat(ArgoLua.discovery("return {a = {}, b = {disabled = true}, c = {disabled = false, "
                + "displayName = 'C', iconClass = 'fa fa-c'}, d = {disabled = 'no' == 'yes'}}", OBJ))
                .containsExactlyInAnyOrder(new ResourceAction("a", false, "", ""),
                        new ResourceAction("b", true, "", ""), new ResourceAction("c", false, "fa fa-c", "C"),
                        new ResourceAction("d", false, "", ""));
        assertThatThrownBy(() -> ArgoLua.discovery("return {a = {disabled = 'yes'}}", OBJ))
                .isInstanceOf(ScriptException.class);
        assertThatThrownBy(() -> ArgoLua.discovery("return {'a'}", OBJ)).isInstanceOf(ScriptException.class);
        assertThatThrownBy(() -> ArgoLua.discovery("return nil", OBJ)).isInstanceOf(ScriptException.class)
                .hasMessage("expect table output from Lua script, not nil");
    }

    @Test
    void actionResultsAreCleanedAsArgoCdCleansThem() throws Exception {
        // Lua turns an empty object into an empty table, which encodes as an array; Argo CD puts the object back.
        JsonNode out = ArgoLua.action("obj.spec.replicas = 5 return obj", OBJ, Map.of());
        assertThat(out.at("/metadata/labels").isObject()).isTrue();
        assertThat(out.at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(out.at("/status/gone").isMissingNode()).isTrue();
        JsonNode withParameter = ArgoLua.action("obj.metadata.name = actionParams.name return obj", OBJ,
                Map.of("name", "other"));
        assertThat(withParameter.at("/metadata/name").asText()).isEqualTo("other");
        assertThatThrownBy(() -> ArgoLua.action("error('refused', 0)", OBJ, Map.of()))
                .isInstanceOf(ScriptException.class).hasMessage("refused");
        assertThatThrownBy(() -> ArgoLua.action("return {{operation = 'create', resource = obj}}", OBJ, Map.of()))
                .isInstanceOf(ScriptException.class);
    }

    @Test
    void aScriptThatRunsPastArgoCdsBudgetIsStopped() {
        assertThatThrownBy(() -> ArgoLua.health("while true do end", OBJ)).isInstanceOf(ScriptException.class)
                .hasMessageContaining("deadline");
    }
}
