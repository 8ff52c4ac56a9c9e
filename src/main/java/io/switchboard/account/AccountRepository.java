package io.switchboard.account;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
class AccountRepository implements PanacheRepositoryBase<AccountEntity, UUID> {

    /** The account of this username, whatever its case. */
    Optional<AccountEntity> findByUsername(String username) {
        return find("lower(username) = :key", Parameters.with("key", Usernames.key(username))).firstResultOptional();
    }

    List<AccountEntity> listForTenant(String tenantId) {
        return list("tenantId", Sort.ascending("username"), tenantId);
    }

    /** An account of this tenant, or empty (another tenant's account is "not found" too). */
    Optional<AccountEntity> findInTenant(String tenantId, UUID id) {
        return find("id = :id and tenantId = :tenant", Parameters.with("id", id).and("tenant", tenantId))
                .firstResultOptional();
    }

    /**
     * Stores the account unless its username is taken, by any tenant and in any case. Safe when
     * replicas insert the same username at once: the unique index decides, and the losers insert
     * nothing.
     *
     * @return whether the account was stored
     */
    boolean insertIfUsernameFree(AccountEntity account) {
        return getEntityManager().createNativeQuery("""
                        INSERT INTO account (id, username, display_name, tenant_id, roles, password_hash, created_at, created_by)
                        VALUES (:id, :username, :displayName, :tenant, :roles, :hash, :createdAt, :createdBy)
                        ON CONFLICT DO NOTHING""")
                .setParameter("id", account.id)
                .setParameter("username", account.username)
                .setParameter("displayName", account.displayName)
                .setParameter("tenant", account.tenantId)
                .setParameter("roles", account.roles)
                .setParameter("hash", account.passwordHash)
                .setParameter("createdAt", account.createdAt)
                .setParameter("createdBy", account.createdBy)
                .executeUpdate() == 1;
    }

    /** Remembers a deleted account's id, so every replica refuses its tokens. */
    void recordDeletion(UUID id, String tenantId, Instant deletedAt) {
        getEntityManager().createNativeQuery("""
                        INSERT INTO account_deleted (id, tenant_id, deleted_at) VALUES (:id, :tenant, :deletedAt)
                        ON CONFLICT DO NOTHING""")
                .setParameter("id", id).setParameter("tenant", tenantId).setParameter("deletedAt", deletedAt)
                .executeUpdate();
    }

    boolean isDeleted(UUID id) {
        return !getEntityManager().createNativeQuery("SELECT 1 FROM account_deleted WHERE id = :id")
                .setParameter("id", id)
                .getResultList().isEmpty();
    }
}
