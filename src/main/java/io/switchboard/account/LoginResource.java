package io.switchboard.account;

import io.switchboard.api.Problem;
import io.switchboard.api.ProblemMappers;
import io.switchboard.security.TokenResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
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
                    + "every attempt for it is refused with 429 until 5 minutes after the first failure.")
    @APIResponse(responseCode = "200", description = "Signed in",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "username or password missing",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Unknown username or wrong password (one answer for both)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many failed sign-ins for this username",
            headers = @Header(name = "Retry-After", description = "Seconds until the username may try again",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response login(@Valid @NotNull LoginRequest request) {
        SignIn.Outcome outcome = signIn.attempt(request.username(), request.password());
        if (outcome instanceof SignIn.Token signedIn) {
            // The body is a credential: no cache on the way may keep it.
            return Response.ok(signedIn.token()).header("Cache-Control", "no-store").build();
        }
        if (outcome instanceof SignIn.Throttled throttled) {
            return Response.fromResponse(ProblemMappers.respond(429, "Too many failed sign-ins for this username; "
                            + "try again in " + throttled.retryAfterSeconds() + " seconds."))
                    .header("Retry-After", throttled.retryAfterSeconds()).build();
        }
        return Response.fromResponse(ProblemMappers.respond(401, "The username or password is wrong."))
                .header("WWW-Authenticate", "Bearer").build();
    }
}
