package dev.modelops.operator.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.junit.jupiter.api.Test;

import dev.modelops.operator.rbac.RbacPolicy.Atom;
import dev.modelops.operator.rbac.RbacPolicy.Grant;
import dev.modelops.operator.rbac.RbacPolicy.Need;

/** The request-to-RBAC translation and the authorizer's matching, which RbacCoverageTest's verdicts rest on. */
class RbacPolicyTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            GET    | /api/v1/namespaces/ml/pods?labelSelector=a%3Db&resourceVersion=0 | list   |                   | pods                     | ml   |
            GET    | /api/v1/pods?watch=true&resourceVersion=12                     | watch  |                   | pods                     |      |
            GET    | /api/v1/namespaces/ml/pods/p-1/log                             | get    |                   | pods/log                 | ml   | p-1
            POST   | /apis/batch/v1/namespaces/ml/jobs                              | create | batch             | jobs                     | ml   |
            PUT    | /apis/modelops.dev/v1alpha1/namespaces/ml/modelversions/v1/status | update | modelops.dev | modelversions/status     | ml   | v1
            PATCH  | /apis/coordination.k8s.io/v1/namespaces/op/leases/l            | patch  | coordination.k8s.io | leases                 | op   | l
            DELETE | /api/v1/namespaces/ml/services/s                               | delete |                   | services                 | ml   | s
            DELETE | /api/v1/namespaces/ml/services                                 | deletecollection |         | services                 | ml   |
            GET    | /api/v1/namespaces/ml                                          | get    |                   | namespaces               |      | ml
            POST   | /apis/authorization.k8s.io/v1/selfsubjectrulesreviews          | create | authorization.k8s.io | selfsubjectrulesreviews |   |
            """)
    void requestsBecomeAccesses(String method, String path, String verb, String group, String resource,
            String namespace, String name) {
        assertThat(ApiAccess.of(method, path)).isEqualTo(ApiAccess.resource(verb, group == null ? "" : group,
                resource, namespace, name));
    }

    @Test
    void discoveryIsANonResourceRequest() {
        ApiAccess version = ApiAccess.of("GET", "/version");
        assertThat(version.isResource()).isFalse();
        assertThat(ApiAccess.of("GET", "/apis/apps/v1").isResource()).isFalse();
        assertThat(RbacPolicy.kubernetesDefaults().allows(version)).isTrue();
        assertThat(RbacPolicy.kubernetesDefaults().allows(ApiAccess.of("GET", "/metrics"))).isFalse();
    }

    private static Grant rule(String namespace, String group, String resource, String... verbs) {
        return new Grant("Role r", namespace, List.of(group), List.of(resource), List.of(verbs), List.of(), List.of());
    }

    @Test
    void aRoleGrantsInItsNamespaceOnlyAndNeverAcrossTheCluster() {
        RbacPolicy policy = new RbacPolicy(List.of(rule("ml", "", "pods", "list", "watch")));
        assertThat(policy.allows(ApiAccess.of("GET", "/api/v1/namespaces/ml/pods"))).isTrue();
        assertThat(policy.allows(ApiAccess.of("GET", "/api/v1/namespaces/other/pods"))).isFalse();
        assertThat(policy.allows(ApiAccess.of("GET", "/api/v1/pods?watch=true"))).isFalse();
        assertThat(policy.allows(ApiAccess.of("GET", "/api/v1/namespaces/ml/pods/p"))).as("get is not list")
                .isFalse();
    }

    @Test
    void aClusterRoleGrantsEverywhereAndSubresourcesAreTheirOwn() {
        RbacPolicy policy = new RbacPolicy(List.of(rule(null, "modelops.dev", "modelversions", "get", "update")));
        assertThat(policy.allows(ApiAccess.of("PUT", "/apis/modelops.dev/v1alpha1/namespaces/a/modelversions/v")))
                .isTrue();
        assertThat(policy.allows(ApiAccess.of("PUT",
                "/apis/modelops.dev/v1alpha1/namespaces/a/modelversions/v/status"))).isFalse();
        assertThat(policy.allows(ApiAccess.of("GET", "/apis/other.dev/v1/namespaces/a/modelversions/v")))
                .isFalse();
    }

    @Test
    void wildcardsAndResourceNamesMatchAsTheAuthorizerMatchesThem() {
        RbacPolicy any = new RbacPolicy(List.of(rule(null, "*", "*", "*")));
        assertThat(any.allows(ApiAccess.of("DELETE", "/api/v1/namespaces/a/secrets/s"))).isTrue();
        RbacPolicy named = new RbacPolicy(List.of(new Grant("Role r", "op", List.of("coordination.k8s.io"), List.of(
                "leases"), List.of("get", "create"), List.of("mine"), List.of())));
        assertThat(named.allows(ApiAccess.of("GET", "/apis/coordination.k8s.io/v1/namespaces/op/leases/mine")))
                .isTrue();
        assertThat(named.allows(ApiAccess.of("GET", "/apis/coordination.k8s.io/v1/namespaces/op/leases/other")))
                .isFalse();
        assertThat(named.allows(ApiAccess.of("POST", "/apis/coordination.k8s.io/v1/namespaces/op/leases")))
                .as("a create names no object, so resourceNames cannot allow it").isFalse();
    }

    @Test
    void takingOneVerbAwayKeepsTheRestOfTheRule() {
        RbacPolicy policy = new RbacPolicy(List.of(new Grant("ClusterRole c", null, List.of("apps"), List.of(
                "deployments", "replicasets"), List.of("get", "update"), List.of(), List.of())));
        assertThat(policy.atoms()).hasSize(4);
        RbacPolicy less = policy.without(new Atom("ClusterRole c", null, "apps", "deployments", "update"));
        assertThat(less.atoms()).hasSize(3);
        Need update = new Need(ApiAccess.of("PUT", "/apis/apps/v1/namespaces/a/deployments/d"), "a request");
        Need get = new Need(ApiAccess.of("GET", "/apis/apps/v1/namespaces/a/deployments/d"), "a request");
        assertThat(less.gaps(List.of(update, get), new RbacPolicy(List.of()))).containsExactly(update);
        assertThat(policy.gaps(List.of(update, get), new RbacPolicy(List.of()))).isEmpty();
    }
}
