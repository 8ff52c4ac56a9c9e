package io.switchboard.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** One built-in account: its password's hash, never the password. */
@Entity
@Table(name = "account")
public class AccountEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String username;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    /** Space separated, sorted; empty for a plain user. */
    @Column(nullable = false)
    public String roles;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    Set<String> roleSet() {
        return roles.isBlank() ? Set.of() : new TreeSet<>(Arrays.asList(roles.split(" ")));
    }

    static String joinRoles(Set<String> roles) {
        return String.join(" ", new TreeSet<>(roles));
    }

    UserView toView() {
        return new UserView(id.toString(), username, displayName, tenantId, roleSet().stream().toList(), createdAt);
    }
}
