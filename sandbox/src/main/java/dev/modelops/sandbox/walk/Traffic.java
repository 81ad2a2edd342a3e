package dev.modelops.sandbox.walk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Inference requests to a Service's host port while a canary runs (the walk's, the end-to-end test's): one connection each, as curl sends them,
 * so the Service spreads them over the ready pods of both tracks by replica ratio. Bounded: it stops when closed.
 */
public final class Traffic implements AutoCloseable {

    /** One Iris flower of each species, in turn. */
    static final String[] FLOWERS = {"5.1,3.5,1.4,0.2", "5.9,3.0,4.2,1.5", "6.7,3.0,5.2,2.3"};

    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public Traffic(int port, String model) {
        thread = new Thread(() -> {
            for (long i = 0; running; i++) {
                try {
                    String body = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":["
                            + FLOWERS[(int) (i % FLOWERS.length)] + "]}]}";
                    (post(port, "/v2/models/" + model + "/infer", body).startsWith("HTTP/1.1 200") ? ok : failed)
                            .incrementAndGet();
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    failed.incrementAndGet();
                }
            }
        }, "walk-traffic");
        thread.setDaemon(true);
        thread.start();
    }

    public long ok() {
        return ok.get();
    }

    public long failed() {
        return failed.get();
    }

    static String post(int port, String path, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(payload);
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
