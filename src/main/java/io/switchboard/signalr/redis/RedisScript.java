package io.switchboard.signalr.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), sent in full ({@code EVAL}) only when Redis does not
 * know it yet (after a restart, or the first time): the script's text is not sent, nor hashed by Redis,
 * at every call.
 */
public final class RedisScript {

    private final String source;
    private final String sha;

    public RedisScript(String source) {
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the script on {@code keys} with {@code arguments}. */
    public Future<Response> run(Redis redis, List<String> keys, List<?> arguments) {
        return redis.send(request(Command.EVALSHA, sha, keys, arguments)).recover(failure -> {
            if (failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT")) {
                return redis.send(request(Command.EVAL, source, keys, arguments));
            }
            return Future.failedFuture(failure);
        });
    }

    private static Request request(Command command, String script, List<String> keys, List<?> arguments) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        arguments.forEach(argument -> request.arg(String.valueOf(argument)));
        return request;
    }
}
