package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/** REST calls over a pooled Vert.x HTTP client (keep-alive, the pool bounds the requests in flight). */
final class Rest {
    record Response(int status, String body) {
    }

    private final HttpClient http;

    Rest(HttpClient http) {
        this.http = http;
    }

    Future<Response> post(URI base, String path, String credentialHeader, String credential, String json) {
        return send(HttpMethod.POST, base, path, credentialHeader, credential, json);
    }

    Future<Response> send(HttpMethod method, URI base, String path, String credentialHeader, String credential, String json) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(credentialHeader, credential);
        if (json != null) {
            headers.add("Content-Type", "application/json");
        }
        RequestOptions options = new RequestOptions().setMethod(method).setHost(base.getHost()).setPort(base.getPort())
                .setURI(path).setHeaders(headers);
        return http.request(options)
                .compose(request -> json == null ? request.send() : request.send(Buffer.buffer(json)))
                .compose(response -> response.body().map(body -> new Response(response.statusCode(), body.toString())));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }
}
