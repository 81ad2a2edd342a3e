package dev.modelops.sandbox.controllers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Service port made reachable from the host: a TCP listener on 127.0.0.1 that hands each connection to the next
 * ready endpoint in turn (per connection, as kube-proxy balances), so traffic splits by the ratio of ready pods.
 */
final class ServiceProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String name;
    private final AtomicInteger next = new AtomicInteger();
    private volatile List<InetSocketAddress> backends = List.of();

    ServiceProxy(String name) throws IOException {
        this.name = name;
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "service-" + name);
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void backends(List<InetSocketAddress> ready) {
        this.backends = List.copyOf(ready);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                List<InetSocketAddress> current = backends;
                if (current.isEmpty()) {
                    client.close(); // no ready endpoint: refused, as on a cluster
                    continue;
                }
                InetSocketAddress target = current.get(Math.floorMod(next.getAndIncrement(), current.size()));
                Thread t = new Thread(() -> connect(client, target), "service-" + name + "-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                // closed, or one failed accept: the loop condition decides
            }
        }
    }

    private static void connect(Socket client, InetSocketAddress target) {
        try (client; Socket upstream = new Socket()) {
            upstream.connect(target, 2000);
            Thread back = new Thread(() -> pump(upstream, client), "pump");
            back.setDaemon(true);
            back.start();
            pump(client, upstream);
            back.join(60_000);
        } catch (IOException e) {
            // the client sees the connection close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[16384];
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
