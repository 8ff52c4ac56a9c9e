package io.switchboard.account;

/**
 * Fired inside the transaction that deletes an account. Observe it with
 * {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)} to act only once the deletion is committed
 * (closing the account's hub connections: an account's user id is the account id).
 *
 * @param accountId the account id, which is also the {@code sub} of its tokens
 * @param tenantId  the account's tenant
 */
public record AccountDeleted(String accountId, String tenantId) {
}
