package dev.switchboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * A sender still writing a body over the limit (1 MiB) hears 413 payload_too_large, not a reset or a GOAWAY: the
 * server answers, reads and discards the rest (up to a bound), and only then closes.
 */
@QuarkusTest
class OversizedBodyTest {

    /** Seven times the limit, under the discard bound (8 MiB). */
    private static final byte[] BODY = new byte[7 * 1024 * 1024];
    private static Path bodyFile;

    @BeforeAll
    static void bodyOnDisk() throws Exception {
        java.util.Arrays.fill(BODY, (byte) 'x');
        bodyFile = Files.createTempFile("oversized", ".bin");
        bodyFile.toFile().deleteOnExit();
        Files.write(bodyFile, BODY);
    }

    @Test
    void curlWritingTheWholeBodyWithContentLengthHears413() throws Exception {
        // No Expect: 100-continue, so curl writes the body at once, as most senders do.
        assertCurlHears413("-H", "Expect:");
    }

    @Test
    void curlWritingAChunkedBodyHears413() throws Exception {
        assertCurlHears413("-H", "Expect:", "-H", "Transfer-Encoding: chunked");
    }

    @Test
    void curlAskingToContinueHears413() throws Exception {
        assertCurlHears413();
    }

    // Not covered: curl's h2c upgrade (--http2) with a body. Its upgrade request carries the body in HTTP/1.1 form
    // and under load curl 7.88 sometimes ends with "(92) Stream error in the HTTP/2 framing layer" after the 101;
    // Java's HttpClient, which also upgrades, is covered below.
    @Test
    void curlSpeakingHttp2Hears413() throws Exception {
        assertCurlHears413("--http2-prior-knowledge");
    }

    @Test
    void javaHttpClientWithDefaultSettingsHears413() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                post(HttpRequest.BodyPublishers.ofByteArray(BODY)), HttpResponse.BodyHandlers.ofString());
        assertTooLarge(response.statusCode(), response.body());
    }

    @Test
    void javaHttpClientStreamingWithoutALengthHears413() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(BODY))),
                HttpResponse.BodyHandlers.ofString());
        assertTooLarge(response.statusCode(), response.body());
    }

    @Test
    void javaHttpClientOnHttp11Hears413() throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                post(HttpRequest.BodyPublishers.ofByteArray(BODY)), HttpResponse.BodyHandlers.ofString());
        assertTooLarge(response.statusCode(), response.body());
    }

    private static HttpRequest post(HttpRequest.BodyPublisher body) {
        Webhooks webhook = Webhooks.create("oversized-body");
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + webhook.url()))
                .header("Content-Type", "application/octet-stream").POST(body).build();
    }

    private static void assertCurlHears413(String... options) throws Exception {
        Webhooks webhook = Webhooks.create("oversized-body");
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", "-", "-w", "\n%{http_code}",
                "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + bodyFile));
        command.addAll(List.of(options));
        command.add("http://localhost:" + RestAssured.port + webhook.url());
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(60, TimeUnit.SECONDS), "curl did not finish");
        assertEquals(0, curl.exitValue(), "curl failed: " + output);
        int split = output.lastIndexOf('\n');
        assertTooLarge(Integer.parseInt(output.substring(split + 1).trim()), output.substring(0, split));
    }

    private static void assertTooLarge(int status, String body) {
        assertEquals(413, status, body);
        assertTrue(body.contains("\"code\":\"payload_too_large\""), body);
    }
}
