package io.switchboard.account;

import io.switchboard.identity.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Built-in accounts, always within one tenant: creation, listing, deletion, and the password check
 * behind a sign-in. Passwords leave this class only as hashes and are never logged.
 */
@ApplicationScoped
public class AccountService {

    public static final int MIN_PASSWORD_LENGTH = 8;
    public static final int MAX_PASSWORD_LENGTH = 128;
    public static final int MAX_DISPLAY_NAME_LENGTH = 200;
    public static final int MAX_TENANT_LENGTH = 200;
    /** The roles an account may be given; every account is a plain {@code user} besides. */
    public static final Set<String> GRANTABLE_ROLES = Set.of(Roles.ADMIN, Roles.APPROVER);

    /** The request breaks a rule; the message says which, naming the field. */
    public static final class InvalidAccount extends RuntimeException {
        InvalidAccount(String message) {
            super(message, null, false, false);
        }
    }

    /** Another account, of any tenant, has this username (in any case). */
    public static final class UsernameTaken extends RuntimeException {
        UsernameTaken() {
            super("An account with this username exists.", null, false, false);
        }
    }

    /** An account whose password was just checked: who its tokens make the caller. */
    public record SignedIn(String id, String displayName, String tenantId, Set<String> roles) {
    }

    private static final Logger LOG = Logger.getLogger(AccountService.class);

    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final Event<AccountDeleted> deletions;

    AccountService(AccountRepository accounts, PasswordHasher hasher, Event<AccountDeleted> deletions) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.deletions = deletions;
    }

    /**
     * Creates an account in {@code tenantId}; the display name defaults to the username.
     *
     * @throws InvalidAccount when the username, password, display name or roles break a rule
     * @throws UsernameTaken  when any tenant has an account of this username
     */
    @Transactional
    public UserView create(String tenantId, String createdBy, String username, String password, String displayName,
                           Collection<String> roles) {
        AccountEntity account = newAccount(tenantId, createdBy, username, password, displayName, roles);
        if (!accounts.insertIfUsernameFree(account)) {
            throw new UsernameTaken();
        }
        LOG.infof("Account %s (%s) created in tenant %s by %s", account.id, account.username, tenantId, createdBy);
        return account.toView();
    }

    /**
     * Creates the account unless its username exists, in any tenant: the bootstrap admin, which every
     * replica tries to create at start, possibly at the same moment.
     *
     * @return whether this call created it
     */
    @Transactional
    public boolean createIfAbsent(String tenantId, String username, String password, Set<String> roles) {
        if (accounts.findByUsername(requireUsername(username)).isPresent()) {
            return false;
        }
        AccountEntity account = newAccount(tenantId, "bootstrap", username, password, null, roles);
        return accounts.insertIfUsernameFree(account);
    }

    /** The tenant's accounts, by username. */
    @Transactional
    public List<UserView> list(String tenantId) {
        return accounts.listForTenant(tenantId).stream().map(AccountEntity::toView).toList();
    }

    @Transactional
    public Optional<UserView> find(String tenantId, UUID id) {
        return accounts.findInTenant(tenantId, id).map(AccountEntity::toView);
    }

    /**
     * Deletes an account of the tenant, remembers its id so its tokens are refused everywhere, and
     * fires {@link AccountDeleted} in this transaction.
     *
     * @return false when the tenant has no such account
     */
    @Transactional
    public boolean delete(String tenantId, UUID id) {
        Optional<AccountEntity> found = accounts.findInTenant(tenantId, id);
        if (found.isEmpty()) {
            return false;
        }
        AccountEntity account = found.get();
        accounts.delete(account);
        accounts.recordDeletion(account.id, tenantId, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        LOG.infof("Account %s (%s) deleted in tenant %s", account.id, account.username, tenantId);
        deletions.fire(new AccountDeleted(account.id.toString(), tenantId));
        return true;
    }

    /**
     * The account when the username exists and the password is its password. An unknown username
     * costs the same bcrypt check as a wrong password, so the time taken tells nothing either.
     * Blocking and slow on purpose: call it off the event loop.
     */
    @Transactional
    public Optional<SignedIn> checkPassword(String username, String password) {
        Optional<AccountEntity> found = Usernames.isValid(username) ? accounts.findByUsername(username) : Optional.empty();
        if (found.isEmpty()) {
            hasher.matchesNothing(password);
            return Optional.empty();
        }
        AccountEntity account = found.get();
        if (!hasher.matches(password, account.passwordHash)) {
            return Optional.empty();
        }
        return Optional.of(new SignedIn(account.id.toString(), account.displayName, account.tenantId, account.roleSet()));
    }

    private AccountEntity newAccount(String tenantId, String createdBy, String username, String password,
                                     String displayName, Collection<String> roles) {
        AccountEntity account = new AccountEntity();
        account.id = UUID.randomUUID();
        account.username = requireUsername(username);
        account.passwordHash = hasher.hash(requirePassword(password));
        account.displayName = displayName(displayName, account.username);
        account.tenantId = requireTenant(tenantId);
        account.roles = AccountEntity.joinRoles(requireRoles(roles));
        // Millisecond precision: the creation answer and later listings read back identically.
        account.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        account.createdBy = createdBy;
        return account;
    }

    private static String requireUsername(String username) {
        if (!Usernames.isValid(username)) {
            throw new InvalidAccount("username " + Usernames.RULE + ".");
        }
        return username;
    }

    // Characters as people count them (code points), as chat messages are measured.
    private static String requirePassword(String password) {
        int length = password == null ? 0 : password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
            throw new InvalidAccount("password must be " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH
                    + " characters long.");
        }
        return password;
    }

    private static String displayName(String displayName, String username) {
        String name = displayName == null ? "" : displayName.strip();
        if (name.length() > MAX_DISPLAY_NAME_LENGTH) {
            throw new InvalidAccount("displayName must be at most " + MAX_DISPLAY_NAME_LENGTH + " characters long.");
        }
        return name.isEmpty() ? username : name;
    }

    private static String requireTenant(String tenantId) {
        if (tenantId == null || tenantId.isBlank() || tenantId.length() > MAX_TENANT_LENGTH) {
            throw new InvalidAccount("tenant must be 1 to " + MAX_TENANT_LENGTH + " characters long.");
        }
        return tenantId;
    }

    private static Set<String> requireRoles(Collection<String> roles) {
        Set<String> granted = new TreeSet<>();
        for (String role : roles == null ? List.<String>of() : roles) {
            if (role == null || !GRANTABLE_ROLES.contains(role)) {
                throw new InvalidAccount("roles may hold only admin and approver.");
            }
            granted.add(role);
        }
        return granted;
    }
}
