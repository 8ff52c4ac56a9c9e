package io.switchboard.identity;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class HubUserTest {

    @Test
    void userKeysOfDifferentTenantsNeverCollideWhateverTheyContain() {
        assertNotEquals(HubUser.userKey("a", "b/c"), HubUser.userKey("a/b", "c"));
        assertNotEquals(HubUser.userKey("1:a", "b"), HubUser.userKey("1", "a/b"));
    }
}
