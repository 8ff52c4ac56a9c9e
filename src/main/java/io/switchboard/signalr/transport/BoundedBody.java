package io.switchboard.signalr.transport;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body of at most {@code limit} bytes, chunked or not. A declared {@code Content-Length}
 * over the limit fails before a byte is read; a chunked body fails the moment it passes the limit, and
 * reading stops there. Callers answer {@code 413} and close the connection, so the rest is never read.
 */
public final class BoundedBody {

    /** The body is over the limit. */
    public static final class TooLarge extends RuntimeException {

        TooLarge(int limit) {
            super("The request body is larger than " + limit + " bytes.", null, false, false);
        }
    }

    private BoundedBody() {
    }

    /** Starts reading {@code request}, which must still be paused (no handler set yet). */
    public static Future<Buffer> read(HttpServerRequest request, int limit) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && isOver(declared, limit)) {
            return Future.failedFuture(new TooLarge(limit));
        }
        Promise<Buffer> result = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (result.future().isComplete()) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                request.pause();
                result.tryFail(new TooLarge(limit));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(result::tryFail);
        request.endHandler(ignored -> result.tryComplete(body));
        request.resume();
        return result.future();
    }

    /**
     * Answers {@code 413} with {@code body} (of {@code contentType}) and closes the connection once it is
     * written: the rest of the request body is never read.
     */
    public static void refuse(RoutingContext context, String contentType, String body) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(413).putHeader(HttpHeaders.CONNECTION, "close")
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .end(body)
                .onComplete(ignored -> context.request().connection().close());
    }

    private static boolean isOver(String contentLength, int limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return true; // not a length: refused like a body that is too large
        }
    }
}
