package dev.modelops.sandbox.kubelet;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Pod IPs: each pod gets its own loopback address (127.0.0.2, 127.0.0.3, ...; Linux routes all of 127.0.0.0/8 to
 * the loopback interface), so every pod can listen on the same port as on a cluster. Released addresses are reused
 * last.
 */
final class PodAddresses {

    private static final int FIRST = 2;
    private static final int LAST = 254 * 256;

    private final Deque<String> released = new ArrayDeque<>();
    private final Set<String> inUse = new HashSet<>();
    private int next = FIRST;

    synchronized String allocate() {
        String ip;
        if (next <= LAST) {
            int n = next++;
            ip = "127.0." + (n / 256) + "." + (n % 256);
            if (n % 256 == 0 || n % 256 == 255) {
                return allocate();
            }
        } else if (!released.isEmpty()) {
            ip = released.removeFirst();
        } else {
            throw new IllegalStateException("no loopback address left for a pod");
        }
        inUse.add(ip);
        return ip;
    }

    synchronized void release(String ip) {
        if (ip != null && inUse.remove(ip)) {
            released.addLast(ip);
        }
    }
}
