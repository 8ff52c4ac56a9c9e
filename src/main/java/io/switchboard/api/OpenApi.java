package io.switchboard.api;

/**
 * Names the REST resources' OpenAPI annotations refer to, declared once in
 * {@code META-INF/openapi.yaml}: the security schemes and the shared problem responses.
 */
public final class OpenApi {

    /** A JWT (or an API key) as {@code Authorization: Bearer}. */
    public static final String JWT = "jwt";
    /** An API key as {@code X-Api-Key}. */
    public static final String API_KEY = "apiKey";
    /** A JWT or API key as the {@code access_token} query parameter (hub paths only). */
    public static final String ACCESS_TOKEN = "accessToken";

    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String NOT_FOUND = "NotFound";
    public static final String CONFLICT = "Conflict";
    public static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    private OpenApi() {
    }
}
