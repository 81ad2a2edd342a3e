package dev.modelops.runtime.fetch;

import dev.modelops.contract.FailureReason;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Copies a model artifact to a local file: from a mounted volume ({@code pvc://claim/path} under the pvc root, or a
 * plain path), over {@code http(s)://}, or from {@code s3://bucket/key} (AWS SDK v2; any S3-compatible store through
 * an endpoint). The file appears atomically and only if its sha256 matches the expected one; transient failures
 * (store unreachable, 5xx) are retried with backoff a bounded number of times.
 */
public final class ArtifactFetcher {

    /** Where and how to fetch; {@link #fromEnvironment} reads the documented variables. */
    public record Settings(Path pvcRoot, int attempts, Duration initialBackoff, String s3Endpoint, String s3Region,
            String httpAuthorization) {

        public static Settings fromEnvironment(Map<String, String> env) {
            String endpoint = env.getOrDefault("MODELOPS_S3_ENDPOINT", env.get("AWS_ENDPOINT_URL"));
            return new Settings(Path.of(env.getOrDefault("MODELOPS_PVC_ROOT", "/mnt/pvc")),
                    Integer.parseInt(env.getOrDefault("MODELOPS_FETCH_ATTEMPTS", "4")),
                    Duration.ofMillis(Long.parseLong(env.getOrDefault("MODELOPS_FETCH_BACKOFF_MS", "500"))),
                    endpoint, env.getOrDefault("AWS_REGION", "us-east-1"), env.get("HTTP_AUTHORIZATION"));
        }
    }

    /** The local copy and what was verified about it. */
    public record Fetched(Path path, String sha256, long sizeBytes, boolean sha256Verified) {
    }

    /** Thrown by a source for a failure worth another try. */
    private static final class Transient extends IOException {
        Transient(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Settings settings;

    public ArtifactFetcher(Settings settings) {
        this.settings = settings;
    }

    public Fetched fetch(String uri, String expectedSha256, Path destination) throws FetchException {
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new FetchException(FailureReason.ArtifactNotFound, "not a valid URI: " + uri);
        }
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1;; attempt++) {
            try {
                return copyVerified(uri, parsed, expectedSha256, destination);
            } catch (Transient e) {
                if (attempt >= settings.attempts()) {
                    throw new FetchException(FailureReason.ArtifactUnreachable,
                            "could not fetch " + uri + " after " + attempt + " attempts: " + e.getMessage(), e);
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private Fetched copyVerified(String uri, URI parsed, String expectedSha256, Path destination)
            throws FetchException, Transient {
        Path dir = destination.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + destination.getFileName(), ".part");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long size;
            try (InputStream in = open(uri, parsed);
                    OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
                size = in.transferTo(out);
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha256)) {
                throw new FetchException(FailureReason.ChecksumMismatch, "sha256 of " + uri + " is " + sha256
                        + ", expected " + expectedSha256.toLowerCase());
            }
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            return new Fetched(destination, sha256, size, expectedSha256 != null);
        } catch (Transient | FetchException e) {
            throw e;
        } catch (IOException e) {
            throw new Transient(e.toString(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // A leftover .part file in a scratch directory is harmless.
                }
            }
        }
    }

    private InputStream open(String uri, URI parsed) throws FetchException, IOException {
        String scheme = parsed.getScheme() == null ? "file" : parsed.getScheme();
        return switch (scheme) {
            case "file" -> openFile(Path.of(parsed.getScheme() == null ? uri : parsed.getPath()), uri);
            case "pvc" -> openFile(settings.pvcRoot().resolve(parsed.getHost()).resolve(parsed.getPath()
                    .replaceFirst("^/", "")), uri);
            case "http", "https" -> openHttp(parsed);
            case "s3" -> openS3(parsed);
            default -> throw new FetchException(FailureReason.ArtifactNotFound, "unsupported scheme in " + uri
                    + ": use pvc://, s3://, http(s):// or a path");
        };
    }

    private static InputStream openFile(Path path, String uri) throws FetchException {
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new FetchException(FailureReason.ArtifactNotFound, "no file at " + uri + " (" + path + ")");
        } catch (AccessDeniedException e) {
            throw new FetchException(FailureReason.ArtifactNotFound, "no permission to read " + uri);
        } catch (IOException e) {
            throw new FetchException(FailureReason.ArtifactNotFound, "cannot read " + uri + ": " + e.getMessage());
        }
    }

    private InputStream openHttp(URI uri) throws FetchException, Transient {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET();
        if (settings.httpAuthorization() != null) {
            request.header("Authorization", settings.httpAuthorization());
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Transient(uri.getHost() + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Transient("interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body();
        }
        closeQuietly(response.body());
        if (status >= 500 || status == 408 || status == 429) {
            throw new Transient("GET " + uri + " answered " + status, null);
        }
        throw new FetchException(FailureReason.ArtifactNotFound, "GET " + uri + " answered " + status);
    }

    private InputStream openS3(URI uri) throws FetchException, Transient {
        String bucket = uri.getHost();
        String key = uri.getPath().replaceFirst("^/", "");
        S3ClientBuilder builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(settings.s3Region()));
        if (settings.s3Endpoint() != null) {
            // S3-compatible stores (MinIO, Ceph, s3proxy...) often reject the SDK's newer default checksum headers.
            builder.endpointOverride(URI.create(settings.s3Endpoint())).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        S3Client s3 = builder.build();
        try {
            InputStream object = s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build());
            return new java.io.FilterInputStream(object) {
                @Override
                public void close() throws IOException {
                    super.close();
                    s3.close();
                }
            };
        } catch (S3Exception e) {
            s3.close();
            int status = e.statusCode();
            if (status >= 500 || status == 429) {
                throw new Transient("s3://" + bucket + "/" + key + ": " + status + " " + errorCode(e), e);
            }
            throw new FetchException(FailureReason.ArtifactNotFound, "s3://" + bucket + "/" + key + ": " + status
                    + " " + errorCode(e));
        } catch (SdkClientException e) {
            s3.close();
            throw new Transient("the S3 store did not answer: " + e.getMessage(), e);
        } catch (SdkException e) {
            s3.close();
            throw new Transient("s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // The response is being discarded anyway.
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
