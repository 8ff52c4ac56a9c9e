package io.switchboard.account;

import io.switchboard.api.Problem;
import io.switchboard.api.ProblemMappers;
import io.switchboard.security.TokenResponse;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code POST /api/auth/login}: a built-in account's username and password for a JWT (docs/api.md §2 "Identity"). */
@Path("/api/auth/login")
public class LoginResource {

    static final int BUSY_RETRY_AFTER_SECONDS = 1;

    private final SignIn signIn;

    LoginResource(SignIn signIn) {
        this.signIn = signIn;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in with a built-in account's username and password",
            description = "The token is an RS256 JWT for the account: sub = account id, preferred_username = "
                    + "display name, tenant_id, groups = roles. After 5 failures for one username within 5 minutes, "
                    + "every attempt for it is refused with 429 until 5 minutes after the first failure; the same "
                    + "after 30 failures from one client address (SWITCHBOARD_ACCOUNTS_SIGN_IN_FAILURES_PER_ADDRESS). "
                    + "When every password-check slot of the replica is busy, 429 with Retry-After: 1 at once.")
    @APIResponse(responseCode = "200", description = "Signed in",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "username or password missing",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Unknown username or wrong password (one answer for both)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many failed sign-ins for this username or from this "
            + "address, or too many sign-ins being checked at once on this replica",
            headers = @Header(name = "Retry-After", description = "Seconds until the sign-in may be tried again",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response login(@Valid @NotNull LoginRequest request, @Context HttpServerRequest http) {
        SignIn.Outcome outcome = signIn.attempt(request.username(), request.password(),
                ClientAddress.of(http.remoteAddress()));
        if (outcome instanceof SignIn.Token signedIn) {
            // The body is a credential: no cache on the way may keep it.
            return Response.ok(signedIn.token()).header("Cache-Control", "no-store").build();
        }
        if (outcome instanceof SignIn.Throttled throttled) {
            return tooMany(throttled.retryAfterSeconds(), "Too many failed sign-ins "
                    + (throttled.byAddress() ? "from this address" : "for this username") + "; try again in "
                    + throttled.retryAfterSeconds() + " seconds.");
        }
        if (outcome instanceof SignIn.Busy) {
            return tooMany(BUSY_RETRY_AFTER_SECONDS, "Too many sign-ins are being checked at the moment; try again in "
                    + BUSY_RETRY_AFTER_SECONDS + " second.");
        }
        return Response.fromResponse(ProblemMappers.respond(401, "The username or password is wrong."))
                .header("WWW-Authenticate", "Bearer").build();
    }

    private static Response tooMany(long retryAfterSeconds, String detail) {
        return Response.fromResponse(ProblemMappers.respond(429, detail)).header("Retry-After", retryAfterSeconds).build();
    }
}
