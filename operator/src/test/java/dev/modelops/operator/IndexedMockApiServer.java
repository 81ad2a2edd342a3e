package dev.modelops.operator;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The Fabric8 mock API server in CRUD mode with one change: reads and writes of one object by name find it through
 * an index instead of testing every stored object. The stock store answers each such request by matching the path
 * against every object it holds, so a benchmark with thousands of objects measured mostly the mock server (a third
 * of all CPU went to that matching); a real API server looks objects up by key. What is stored, how it is matched,
 * what is answered and which watch events are sent are unchanged: the index only narrows the candidates, each is
 * still matched exactly as the stock store matches it, and any query the index cannot narrow (no name, no namespace)
 * is answered by the stock code.
 *
 * <p>
 * Used by the scale benchmark through {@code @QuarkusTestResource(IndexedMockApiServer.class)}.
 */
public final class IndexedMockApiServer implements QuarkusTestResourceLifecycleManager {

    private static volatile KubernetesMockServer current;
    private static volatile Dispatcher currentDispatcher;

    private KubernetesMockServer server;

    /** The server the running test was given. */
    public static KubernetesMockServer server() {
        return current;
    }

    /**
     * Drops every stored object without a watch event (clients keep what they cached) and returns how many there
     * were: what is left on the heap afterwards is the clients', not the server's.
     */
    public static int forgetStoredObjects() {
        return currentDispatcher.forget();
    }

    @Override
    public Map<String, String> start() {
        Dispatcher dispatcher = new Dispatcher();
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        currentDispatcher = dispatcher;
        server.init(InetAddress.getLoopbackAddress(), 0);
        current = server;
        // The same client settings Quarkus's own mock-server resource sets.
        Map<String, String> config = new HashMap<>();
        config.put("kubernetes.master", server.createClient().getConfiguration().getMasterUrl());
        config.put("kubernetes.trust.certificates", "true");
        config.put("kubernetes.auth.tryKubeConfig", "false");
        config.put("kubernetes.auth.tryServiceAccount", "false");
        config.put("kubernetes.namespace", "test");
        config.put("http2.disable", "true");
        config.forEach(System::setProperty);
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
        }
        current = null;
        currentDispatcher = null;
    }

    /** The stock CRUD dispatcher over an indexed store. */
    static final class Dispatcher extends KubernetesCrudDispatcher {

        private final IndexedStore store = new IndexedStore();

        Dispatcher() {
            super(List.of());
            try {
                // The store is a final field the stock code reads directly; only its lookups are replaced.
                Field map = CrudDispatcher.class.getDeclaredField("map");
                map.setAccessible(true);
                map.set(this, store);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the mock server's store cannot be indexed", e);
            }
        }

        /** Drops every stored object without a watch event; returns how many there were. */
        int forget() {
            int stored = store.size();
            store.clear();
            return stored;
        }

        /** Writes (create, update, patch) find the object they change here. */
        @Override
        public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
            Collection<Map.Entry<AttributeSet, String>> candidates = store.candidates(attributes);
            if (candidates == null) {
                return super.findResource(attributes);
            }
            return candidates.stream().filter(e -> e.getKey().matches(attributes)).findFirst().orElse(null);
        }

        /** A read of one object by name; lists, watches and discovery go to the stock code. */
        @Override
        public MockResponse handleGet(String path) {
            if (path.contains("watch=")) {
                return super.handleGet(path);
            }
            AttributeSet query = attributeExtractor.fromPath(path);
            if (!query.containsKey(KubernetesAttributesExtractor.NAME)) {
                return super.handleGet(path);
            }
            Collection<Map.Entry<AttributeSet, String>> candidates = store.candidates(query);
            if (candidates == null) {
                return super.handleGet(path);
            }
            return candidates.stream().filter(e -> e.getKey().matches(query)).findFirst()
                    .map(e -> new MockResponse().setResponseCode(200).setBody(e.getValue()))
                    .orElseGet(() -> new MockResponse().setResponseCode(404));
        }
    }

    /**
     * The stored objects in insertion order, as the stock store keeps them, plus an index by namespace and name. Every
     * method is synchronized, as the stock store's synchronized map is.
     */
    static final class IndexedStore extends AbstractMap<AttributeSet, String> {

        private final LinkedHashMap<AttributeSet, String> objects = new LinkedHashMap<>();
        private final Map<String, List<AttributeSet>> byName = new HashMap<>();

        /**
         * The stored entries whose namespace and name equal the query's, or null when the query does not name exactly
         * one of each (then every object must be tested).
         */
        synchronized Collection<Map.Entry<AttributeSet, String>> candidates(AttributeSet query) {
            String key = key(query);
            if (key == null) {
                return null;
            }
            List<Map.Entry<AttributeSet, String>> found = new ArrayList<>(2);
            for (AttributeSet k : byName.getOrDefault(key, List.of())) {
                found.add(Map.entry(k, objects.get(k)));
            }
            return found;
        }

        /** {@code namespace/name} when both are single exact values, else null. */
        private static String key(AttributeSet attributes) {
            String namespace = exact(attributes.getAttribute(KubernetesAttributesExtractor.NAMESPACE));
            String name = exact(attributes.getAttribute(KubernetesAttributesExtractor.NAME));
            return namespace == null || name == null ? null : namespace + "/" + name;
        }

        private static String exact(Attribute attribute) {
            if (attribute == null || attribute.getType() != AttributeType.WITH || attribute.getValues().size() != 1) {
                return null;
            }
            return attribute.getValues().get(0).toString();
        }

        @Override
        public synchronized String put(AttributeSet key, String value) {
            String old = objects.put(key, value);
            String k = key(key);
            if (old == null && k != null) {
                byName.computeIfAbsent(k, x -> new ArrayList<>(2)).add(key);
            }
            return old;
        }

        @Override
        public synchronized String remove(Object key) {
            if (!(key instanceof AttributeSet attributes) || !objects.containsKey(attributes)) {
                return null;
            }
            String k = key(attributes);
            if (k != null) {
                List<AttributeSet> same = byName.get(k);
                same.remove(attributes);
                if (same.isEmpty()) {
                    byName.remove(k);
                }
            }
            return objects.remove(attributes);
        }

        @Override
        public synchronized String get(Object key) {
            return objects.get(key);
        }

        @Override
        public synchronized boolean containsKey(Object key) {
            return objects.containsKey(key);
        }

        @Override
        public synchronized int size() {
            return objects.size();
        }

        @Override
        public synchronized void clear() {
            objects.clear();
            byName.clear();
        }

        /** A copy: the stock code streams over it while other requests may write. */
        @Override
        public synchronized Set<Map.Entry<AttributeSet, String>> entrySet() {
            Set<Map.Entry<AttributeSet, String>> copy = new java.util.LinkedHashSet<>();
            objects.forEach((k, v) -> copy.add(Map.entry(k, v)));
            return copy;
        }
    }
}
