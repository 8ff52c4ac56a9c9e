package io.switchboard.apikey;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
class ApiKeyRepository implements PanacheRepositoryBase<ApiKeyEntity, UUID> {

    /** The tenant's keys, newest first, revoked and expired ones included. */
    List<ApiKeyEntity> listForTenant(String tenantId) {
        return list("tenantId", Sort.descending("createdAt").and("id"), tenantId);
    }

    /** A key of this tenant, or empty (another tenant's key is "not found" too). */
    Optional<ApiKeyEntity> findInTenant(String tenantId, UUID id) {
        return find("id = :id and tenantId = :tenant", Parameters.with("id", id).and("tenant", tenantId))
                .firstResultOptional();
    }

    Optional<ApiKeyEntity> findByHash(String keyHash) {
        return find("keyHash", keyHash).firstResultOptional();
    }
}
