package io.switchboard.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Mints RS256 JWTs the way an identity provider would, with the claims the service reads (sub,
 * tenant_id, preferred_username, groups). The key is the repository's test-only key: the service
 * under test is started with its public half.
 */
final class Tokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final PrivateKey key;
    private final String issuer;
    private final String tenant;

    Tokens(Path privateKeyPem, String issuer, String tenant) throws Exception {
        String pem = Files.readString(privateKeyPem)
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        this.issuer = issuer;
        this.tenant = tenant;
    }

    String token(String subject, List<String> groups) {
        long now = System.currentTimeMillis() / 1000;
        String header = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims = encode("{\"iss\":" + Json.quote(issuer) + ",\"sub\":" + Json.quote(subject)
                + ",\"preferred_username\":" + Json.quote(subject) + ",\"tenant_id\":" + Json.quote(tenant)
                + ",\"groups\":[" + groups.stream().map(Json::quote).collect(Collectors.joining(",")) + "]"
                + ",\"iat\":" + (now - 5) + ",\"exp\":" + (now + 3600) + ",\"jti\":" + Json.quote(UUID.randomUUID().toString()) + "}");
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + B64.encodeToString(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private static String encode(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
