package io.switchboard.pendingchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.ProblemException;
import io.switchboard.api.TextWithoutNul;
import io.switchboard.limits.LimitsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/**
 * What a proposal must meet beyond its fields' own rules, whichever way it arrives (REST, an MCP
 * tool): a diff with no NUL character, of at most {@link LimitsConfig#maxDiffSize()} bytes as JSON.
 */
@ApplicationScoped
public class ProposalRules {

    private final LimitsConfig limits;

    ProposalRules(LimitsConfig limits) {
        this.limits = limits;
    }

    /** Throws a {@code 400} {@link ProblemException} naming {@code diff} when the diff breaks a rule. */
    public void check(NewPendingChange proposal) {
        // Each side is written as JSON once, for both checks.
        String before = asJson(proposal.diff().before());
        String after = asJson(proposal.diff().after());
        if (TextWithoutNul.containsNul(before) || TextWithoutNul.containsNul(after)) {
            throw ProblemException.badRequest("diff must not contain the NUL character (\\u0000).");
        }
        long diffSize = (long) before.getBytes(StandardCharsets.UTF_8).length
                + after.getBytes(StandardCharsets.UTF_8).length;
        if (diffSize > limits.maxDiffSize()) {
            // Every approver is pushed the change: a diff larger than a connection may take would cut them all off.
            throw ProblemException.badRequest("diff: before and after take " + diffSize + " bytes as JSON; at most "
                    + limits.maxDiffSize() + " are allowed.");
        }
    }

    private static String asJson(JsonNode value) {
        return value == null ? "" : value.toString();
    }
}
