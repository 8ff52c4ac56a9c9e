package io.switchboard.account;

import io.switchboard.security.DeletedSubjects;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Whether a token's subject is a deleted account, asked on every JWT authentication. A deleted
 * account's tokens stay signed and unexpired, so the check is by subject against the ids of deleted
 * accounts, which PostgreSQL keeps for every replica. Subjects that are no account id (an outside
 * identity provider's) are never looked up.
 *
 * <p>Answers are remembered: "deleted" for good (deletion is final), "not deleted" for
 * {@link AccountsConfig#deletionCheckInterval()}, which bounds how long another replica keeps
 * accepting a deleted account's tokens. The replica that deletes knows at once.
 */
@ApplicationScoped
public class DeletedAccounts implements DeletedSubjects {

    /** Account ids are lowercase UUIDs, as the service writes them into {@code sub}. */
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Bounds the memory of "not deleted" answers; past it they are all forgotten and asked again. */
    private static final int MAX_REMEMBERED = 10_000;

    private record Answer(boolean deleted, long checkedAtNanos) {
    }

    private final AccountRepository accounts;
    private final long trustNanos;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    DeletedAccounts(AccountRepository accounts, AccountsConfig config) {
        this.accounts = accounts;
        this.trustNanos = config.deletionCheckInterval().toNanos();
    }

    /**
     * The answer without a database look-up when one is known: empty means {@link #lookUp} must ask
     * (off the event loop).
     */
    @Override
    public Optional<Boolean> known(String subject) {
        if (!ACCOUNT_ID.matcher(subject).matches()) {
            return Optional.of(false);
        }
        Answer answer = answers.get(subject);
        if (answer == null || (!answer.deleted() && System.nanoTime() - answer.checkedAtNanos() > trustNanos)) {
            return Optional.empty();
        }
        return Optional.of(answer.deleted());
    }

    /** Asks the database and remembers the answer. Blocking. */
    @Override
    @Transactional
    public boolean lookUp(String subject) {
        boolean deleted = ACCOUNT_ID.matcher(subject).matches() && accounts.isDeleted(UUID.fromString(subject));
        if (!deleted && answers.size() >= MAX_REMEMBERED) {
            answers.values().removeIf(answer -> !answer.deleted());
        }
        answers.put(subject, new Answer(deleted, System.nanoTime()));
        return deleted;
    }

    void onDeleted(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccountDeleted deleted) {
        answers.put(deleted.accountId(), new Answer(true, System.nanoTime()));
    }
}
