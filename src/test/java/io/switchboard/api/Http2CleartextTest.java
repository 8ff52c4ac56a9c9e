package io.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A client that asks to upgrade a plain-HTTP connection to HTTP/2 (h2c; Java's HttpClient does so by
 * default) is answered over HTTP/1.1. Before, the upgrade was accepted and every REST request with a
 * body failed with 500 ("Request has already been read"): the body limit reads the body before Quarkus
 * REST, which Vert.x refuses for an HTTP/2 request. TLS is terminated in front of the service, and
 * WebSockets need HTTP/1.1 anyway.
 */
@QuarkusTest
class Http2CleartextTest {

    @TestHTTPResource("/api/auth/login")
    URI login;

    @Test
    void anH2cUpgradeIsDeclinedAndTheRequestIsAnsweredOverHttp11() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int attempt = 0; attempt < 2; attempt++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(login)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"nobody\",\"password\":\"wrong\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, response.statusCode(), response.body());
            assertEquals(HttpClient.Version.HTTP_1_1, response.version());
        }
    }
}
