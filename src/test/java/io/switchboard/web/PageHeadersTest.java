package io.switchboard.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The page and its assets carry the defence-in-depth headers and the caching that survives a deploy
 * (docs/security.md, "The web page"); whether the page passes its policy is WebPageTest's, in Chromium.
 */
@QuarkusTest
@TestProfile(WebPageTest.WithThePage.class)
class PageHeadersTest {

    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"");

    private static void assertDefenceInDepth(Response response, String what) {
        String policy = response.header("Content-Security-Policy");
        assertTrue(policy != null && policy.contains("frame-ancestors 'none'"), what + ": " + policy);
        assertTrue(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline")
                && !policy.contains("unsafe-eval"), what + ": " + policy);
        assertEquals("DENY", response.header("X-Frame-Options"), what);
        assertEquals("nosniff", response.header("X-Content-Type-Options"), what);
        assertEquals("no-referrer", response.header("Referrer-Policy"), what);
    }

    @Test
    void thePageIsRevalidatedOnEveryLoadAndRefusesFraming() {
        for (String path : List.of("/", "/index.html")) {
            Response page = given().get(path);
            assertEquals(200, page.statusCode(), path);
            assertDefenceInDepth(page, path);
            assertEquals("no-cache", page.header("Cache-Control"), path);
        }
    }

    @Test
    void theHashedAssetsAreKeptForAYearAndAMissingOneIsNot() {
        String html = given().get("/").then().statusCode(200).extract().asString();
        List<String> assets = new ArrayList<>();
        for (Matcher asset = ASSET.matcher(html); asset.find(); ) {
            assets.add(asset.group(1));
        }
        assertTrue(assets.stream().anyMatch(asset -> asset.endsWith(".js")), "the page loads a script: " + html);
        assertTrue(assets.stream().anyMatch(asset -> asset.endsWith(".css")), "the page loads a style sheet: " + html);
        for (String path : assets) {
            Response asset = given().get(path);
            assertEquals(200, asset.statusCode(), path);
            assertDefenceInDepth(asset, path);
            assertEquals("public, max-age=31536000, immutable", asset.header("Cache-Control"), path);
        }
        Response missing = given().get("/assets/index-gone.js");
        assertEquals(404, missing.statusCode());
        assertFalse(String.valueOf(missing.header("Cache-Control")).contains("immutable"), "a 404 is not kept");
    }

    @Test
    void theApiIsNotThePage() {
        assertNull(given().get("/api/pending-changes").header("Content-Security-Policy"));
    }
}
