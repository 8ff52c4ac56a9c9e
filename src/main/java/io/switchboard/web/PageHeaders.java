package io.switchboard.web;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The headers of the web page at {@code /} and its assets (docs/security.md, "The web page"): a strict
 * Content-Security-Policy that the page, a plain Vite bundle, passes (its own scripts, styles and
 * connections only; no inline script or style, no framing), the older headers that say the same to
 * older browsers, and caching that survives a deploy: {@code index.html} is revalidated on every load,
 * while the assets, whose names carry a hash of their content, are kept for a year.
 *
 * <p>Set as the headers are written, so they replace what the static-resource handler put there
 * ({@code public, immutable, max-age=86400} for {@code index.html} too, which kept an old page
 * pointing at bundles a deploy had removed).
 */
@Singleton
class PageHeaders {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    static final String PAGE_CACHING = "no-cache";
    static final String ASSET_CACHING = "public, max-age=31536000, immutable";
    /** Where Vite writes the bundles, named by their content's hash. */
    static final String ASSETS = "/assets/";
    /** Served by the service itself, not the page (as quarkus.quinoa.ignored-path-prefixes). */
    private static final List<String> NOT_THE_PAGE = List.of("/api", "/hubs", "/q");

    // First: the header handler must be in place before any handler that may answer.
    static final int ORDER = RouteConstants.ROUTE_ORDER_HEADERS + 1;

    /** Vite's dev server (quarkus:dev) injects styles inline for live reload: no policy there. */
    private final boolean enforcePolicy = LaunchMode.current() != LaunchMode.DEVELOPMENT;

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::onPageRequest);
    }

    void onPageRequest(RoutingContext context) {
        String path = context.normalizedPath();
        if (isPage(path)) {
            boolean asset = path.startsWith(ASSETS);
            context.addHeadersEndHandler(ignored -> setHeaders(context.response().headers(),
                    asset && isFound(context.response().getStatusCode())));
        }
        context.next();
    }

    /** A missing asset's 404 must not be kept for a year: a deploy may bring it. */
    private static boolean isFound(int status) {
        return status == 200 || status == 304 || status == 206;
    }

    private void setHeaders(MultiMap headers, boolean asset) {
        if (enforcePolicy) {
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        headers.set("X-Frame-Options", "DENY");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set(HttpHeaders.CACHE_CONTROL, asset ? ASSET_CACHING : PAGE_CACHING);
    }

    static boolean isPage(String path) {
        if (path == null) {
            return false;
        }
        for (String prefix : NOT_THE_PAGE) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return false;
            }
        }
        return true;
    }
}
