package io.switchboard.apikey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key format, its display prefix and its hash. */
class ApiKeySecretsTest {

    private final ApiKeySecrets secrets = new ApiKeySecrets();

    @Test
    void aKeyIsSbFollowedBy32RandomBytesInUnpaddedBase64Url() {
        String key = secrets.newKey();
        assertTrue(key.matches("sb_[A-Za-z0-9_-]{43}"), key.substring(0, 3));
        assertTrue(ApiKeySecrets.isWellFormed(key));
    }

    @Test
    void keysNeverRepeat() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(secrets.newKey());
        }
        assertEquals(1000, keys.size());
    }

    @Test
    void theDisplayPrefixIsSbAndTheFirstEightRandomCharacters() {
        String key = secrets.newKey();
        assertEquals(key.substring(0, 11), ApiKeySecrets.displayPrefix(key));
    }

    @Test
    void theHashIsTheSha256HexOfTheWholeKey() {
        // FIPS 180-2 test vector for "abc".
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeySecrets.hash("abc"));
        String key = secrets.newKey();
        assertNotEquals(ApiKeySecrets.hash(key), ApiKeySecrets.hash(key.substring(0, key.length() - 1)));
    }

    @Test
    void onlyWellFormedKeysAreLookedUp() {
        String key = secrets.newKey();
        assertFalse(ApiKeySecrets.isWellFormed(null));
        assertFalse(ApiKeySecrets.isWellFormed("sb_"));
        assertFalse(ApiKeySecrets.isWellFormed(key + "A"));
        assertFalse(ApiKeySecrets.isWellFormed(key.substring(0, key.length() - 1) + "="));
        assertFalse(ApiKeySecrets.isWellFormed("SB_" + key.substring(3)));
        assertFalse(ApiKeySecrets.isWellFormed("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
    }
}
