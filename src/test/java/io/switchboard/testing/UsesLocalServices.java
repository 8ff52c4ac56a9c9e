package io.switchboard.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Declares the shared test resource once for the whole run (a {@code @QuarkusTestResource} applies
 * to every test), so every {@code @QuarkusTest} uses the same application and database.
 */
@QuarkusTestResource(LocalServicesTestResource.class)
public final class UsesLocalServices {

    private UsesLocalServices() {
    }
}
