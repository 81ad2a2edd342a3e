package dev.modelops.sandbox.controllers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Services: Endpoints and an EndpointSlice from the pods the selector picks (ready ones as addresses), and, since
 * ClusterIPs do not route here, one local port per Service port on 127.0.0.1 that balances over the ready endpoints.
 * The host address of each port is recorded on the Endpoints as {@value #HOST_PORTS}.
 */
public final class ServiceController implements AutoCloseable {

    public static final String HOST_PORTS = "sandbox.modelops.dev/host-ports";

    private final KubernetesClient client;
    private final Reconciler queue;
    private final Map<String, Map<String, ServiceProxy>> proxies = new ConcurrentHashMap<>();
    private SharedIndexInformer<Service> services;
    private SharedIndexInformer<Pod> pods;

    public ServiceController(KubernetesClient client) {
        this.client = client;
        this.queue = new Reconciler("service-controller", this::reconcile);
    }

    public void start() {
        services = client.services().inAnyNamespace().inform(Informers.handler(
                s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), queue), 0);
        pods = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                touch(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                touch(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                touch(pod);
            }
        }, 0);
    }

    private void touch(Pod pod) {
        if (services == null) {
            return;
        }
        services.getStore().list().stream()
                .filter(s -> s.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace()))
                .forEach(s -> queue.enqueue(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()));
    }

    /** The host address ({@code 127.0.0.1:port}) of a Service port, if the Service exists and has a selector. */
    public Optional<String> hostAddress(String namespace, String service, int port) {
        Map<String, ServiceProxy> ports = proxies.get(namespace + "/" + service);
        return Optional.ofNullable(ports == null ? null : ports.get(Integer.toString(port)))
                .map(p -> "127.0.0.1:" + p.port());
    }

    private void reconcile(String key) {
        Service svc = services.getStore().getByKey(key);
        if (svc == null) {
            Optional.ofNullable(proxies.remove(key)).ifPresent(m -> m.values().forEach(ServiceProxy::close));
            return;
        }
        Map<String, String> selector = svc.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return; // endpoints are the user's
        }
        boolean publishNotReady = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
        List<Pod> selected = pods.getStore().list().stream()
                .filter(p -> p.getMetadata().getNamespace().equals(svc.getMetadata().getNamespace()))
                .filter(p -> p.getMetadata().getLabels() != null
                        && p.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null && !Informers.terminal(p)
                        && p.getMetadata().getDeletionTimestamp() == null)
                .toList();
        Map<String, ServiceProxy> ports = proxies.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
        List<String> hostPorts = new ArrayList<>();
        List<EndpointPort> endpointPorts = new ArrayList<>();
        for (ServicePort sp : Optional.ofNullable(svc.getSpec().getPorts()).orElse(List.of())) {
            ServiceProxy proxy = ports.computeIfAbsent(Integer.toString(sp.getPort()), p -> open(key + ":" + p));
            List<InetSocketAddress> backends = new ArrayList<>();
            Integer resolved = null;
            for (Pod p : selected) {
                Integer target = targetPort(p, sp);
                if (target != null && (publishNotReady || Informers.ready(p))) {
                    backends.add(new InetSocketAddress(p.getStatus().getPodIP(), target));
                    resolved = resolved == null ? target : resolved;
                }
            }
            proxy.backends(backends);
            hostPorts.add(Objects.requireNonNullElse(sp.getName(), Integer.toString(sp.getPort())) + "=127.0.0.1:"
                    + proxy.port());
            endpointPorts.add(new EndpointPortBuilder().withName(sp.getName()).withProtocol("TCP")
                    .withPort(resolved != null
                            ? resolved
                            : sp.getTargetPort() != null
                                    && sp.getTargetPort().getIntVal() != null
                                            ? sp.getTargetPort().getIntVal()
                                            : sp.getPort())
                    .build());
        }
        List<EndpointAddress> ready = new ArrayList<>();
        List<EndpointAddress> notReady = new ArrayList<>();
        for (Pod p : selected) {
            EndpointAddress address = new EndpointAddressBuilder().withIp(p.getStatus().getPodIP())
                    .withNodeName(p.getSpec().getNodeName()).withNewTargetRef().withKind("Pod")
                    .withName(p.getMetadata().getName()).withNamespace(p.getMetadata().getNamespace())
                    .withUid(p.getMetadata().getUid()).endTargetRef().build();
            (publishNotReady || Informers.ready(p) ? ready : notReady).add(address);
        }
        writeEndpoints(svc, ready, notReady, endpointPorts, String.join(",", hostPorts));
        writeSlice(svc, ready, notReady, endpointPorts);
    }

    private static ServiceProxy open(String name) {
        try {
            return new ServiceProxy(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Integer targetPort(Pod pod, ServicePort sp) {
        IntOrString target = sp.getTargetPort();
        if (target == null) {
            return sp.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        for (Container c : pod.getSpec().getContainers()) {
            for (ContainerPort cp : Optional.ofNullable(c.getPorts()).orElse(List.of())) {
                if (target.getStrVal().equals(cp.getName())) {
                    return cp.getContainerPort();
                }
            }
        }
        return null;
    }

    private void writeEndpoints(Service svc, List<EndpointAddress> ready, List<EndpointAddress> notReady,
            List<EndpointPort> ports, String hostPorts) {
        String ns = svc.getMetadata().getNamespace();
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(HOST_PORTS, hostPorts);
        Endpoints desired = new EndpointsBuilder()
                .withNewMetadata().withName(svc.getMetadata().getName()).withNamespace(ns)
                .withLabels(svc.getMetadata().getLabels()).withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service")
                        .withName(svc.getMetadata().getName()).withUid(svc.getMetadata().getUid()).build())
                .endMetadata()
                .addNewSubset().withAddresses(ready).withNotReadyAddresses(notReady).withPorts(ports).endSubset()
                .build();
        Endpoints current = client.endpoints().inNamespace(ns).withName(svc.getMetadata().getName()).get();
        if (current == null) {
            client.endpoints().inNamespace(ns).resource(desired).create();
        } else if (!Objects.equals(current.getSubsets(), desired.getSubsets())
                || !Objects.equals(current.getMetadata().getAnnotations(), annotations)) {
            current.setSubsets(desired.getSubsets());
            current.getMetadata().setAnnotations(annotations);
            client.endpoints().inNamespace(ns).resource(current).update();
        }
    }

    private void writeSlice(Service svc, List<EndpointAddress> ready, List<EndpointAddress> notReady,
            List<EndpointPort> ports) {
        String ns = svc.getMetadata().getNamespace();
        String name = svc.getMetadata().getName() + "-sandbox";
        EndpointSliceBuilder builder = new EndpointSliceBuilder()
                .withNewMetadata().withName(name).withNamespace(ns)
                .addToLabels("kubernetes.io/service-name", svc.getMetadata().getName())
                .addToLabels("endpointslice.kubernetes.io/managed-by", "sandbox.modelops.dev")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service")
                        .withName(svc.getMetadata().getName()).withUid(svc.getMetadata().getUid()).build())
                .endMetadata()
                .withAddressType("IPv4");
        for (EndpointAddress a : ready) {
            builder.addNewEndpoint().withAddresses(a.getIp()).withNewConditions().withReady(true).endConditions()
                    .withNewTargetRef().withKind("Pod").withName(a.getTargetRef().getName()).withNamespace(ns)
                    .endTargetRef().endEndpoint();
        }
        for (EndpointAddress a : notReady) {
            builder.addNewEndpoint().withAddresses(a.getIp()).withNewConditions().withReady(false).endConditions()
                    .withNewTargetRef().withKind("Pod").withName(a.getTargetRef().getName()).withNamespace(ns)
                    .endTargetRef().endEndpoint();
        }
        for (EndpointPort p : ports) {
            builder.addNewPort().withName(p.getName()).withPort(p.getPort()).withProtocol("TCP").endPort();
        }
        EndpointSlice desired = builder.build();
        EndpointSlice current = client.discovery().v1().endpointSlices().inNamespace(ns).withName(name).get();
        if (current == null) {
            client.discovery().v1().endpointSlices().inNamespace(ns).resource(desired).create();
        } else if (!Objects.equals(current.getEndpoints(), desired.getEndpoints())
                || !Objects.equals(current.getPorts(), desired.getPorts())) {
            current.setEndpoints(desired.getEndpoints());
            current.setPorts(desired.getPorts());
            client.discovery().v1().endpointSlices().inNamespace(ns).resource(current).update();
        }
    }

    @Override
    public void close() {
        queue.close();
        if (services != null) {
            services.close();
        }
        if (pods != null) {
            pods.close();
        }
        proxies.values().forEach(m -> m.values().forEach(ServiceProxy::close));
        proxies.clear();
    }
}
