package io.switchboard.chat;

import io.quarkus.scheduler.Scheduled;
import io.switchboard.signalr.redis.Backplane;
import io.switchboard.signalr.server.HubContext;
import io.switchboard.signalr.server.HubRegistry;
import io.switchboard.identity.HubUser;
import io.switchboard.signalr.redis.RedisConfig;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Who is in each workflow now ({@code GetMembers}, {@code PresenceChanged}; docs/architecture.md
 * "Presence"). This replica counts the connections each person has in each workflow group; a person's
 * first connection in a group enters them and their last one leaves them. With Redis, entering and
 * leaving are recorded there ({@link RedisPresence}) under this replica's id, so the announcement is
 * made only for a person's first connection on any replica and their last, and a dead replica's people
 * are swept by a live one. Without Redis this replica's counts are the whole truth.
 *
 * <p>Blocking (Redis is awaited): called from hub methods and connection events, which run on
 * worker threads.
 */
@ApplicationScoped
class WorkflowPresence {

    private static final Logger LOG = Logger.getLogger(WorkflowPresence.class);
    static final String PRESENCE_CHANGED = "PresenceChanged";
    private static final int LOCK_STRIPES = 256;
    /** Dead replicas swept per heartbeat, at most (a mass restart is swept over a few beats). */
    private static final int SWEEPS_PER_BEAT = 32;

    /** This replica's people in one group: user id → display name and connection count. */
    private final Map<String, Map<String, Held>> local = new ConcurrentHashMap<>();
    /** Serializes the entering and leaving of one person in one group, Redis's part included. */
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final Optional<RedisPresence> shared;
    private final ChatConfig config;
    private final HubRegistry hubs;
    /** A Redis step failed: the next heartbeat records this replica's entries again. */
    private final AtomicBoolean unsure = new AtomicBoolean();
    /** Leaves that Redis did not take, retried by the heartbeat. */
    private final Set<Seen> leavesToRetry = ConcurrentHashMap.newKeySet();
    /** This replica is listed as alive: readers skip the entries of a replica that never beat. */
    private final AtomicBoolean listed = new AtomicBoolean();
    /** The replica is stopping: Redis may already be closed, and the sweep will tidy up after it. */
    private volatile boolean stopping;

    private record Held(String displayName, int connections) {
    }

    private record Seen(String group, String userId, String displayName) {
    }

    WorkflowPresence(Backplane backplane, Instance<Redis> redis, RedisConfig redisConfig, ChatConfig config,
                     HubRegistry hubs) {
        this.config = config;
        this.hubs = hubs;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
        this.shared = backplane.redis().map(link -> new RedisPresence(redis.get(), redisConfig.keyPrefix(),
                UUID.randomUUID().toString(), config.presenceTimeout(), config.presenceCommandTimeout()));
    }

    /** One more of the user's connections is in the workflow; announces them when it is their first anywhere. */
    void entered(HubUser user, String workflowId) {
        String group = ChatHub.workflowGroup(user.tenantId(), workflowId);
        boolean announce;
        synchronized (lock(group, user.id())) {
            boolean[] first = {false};
            // Per group atomically: another person's last leave may be removing the group's map.
            local.compute(group, (key, people) -> {
                Map<String, Held> held = people == null ? new ConcurrentHashMap<>() : people;
                Held before = held.get(user.id());
                first[0] = before == null;
                held.put(user.id(), new Held(user.displayName(), first[0] ? 1 : before.connections() + 1));
                return held;
            });
            announce = first[0] && recordEntered(group, user.id(), user.displayName());
        }
        if (announce) {
            announce(group, workflowId, user.id(), user.displayName(), true);
        }
    }

    /** One of the user's connections left the workflow; announces them gone when it was their last anywhere. */
    void left(HubUser user, String workflowId) {
        String group = ChatHub.workflowGroup(user.tenantId(), workflowId);
        boolean announce;
        synchronized (lock(group, user.id())) {
            // {was this the user's last connection here, is the group now empty here}
            boolean[] outcome = {false, false};
            local.computeIfPresent(group, (key, people) -> {
                Held before = people.get(user.id());
                if (before == null) {
                    return people;
                }
                if (before.connections() > 1) {
                    people.put(user.id(), new Held(before.displayName(), before.connections() - 1));
                    return people;
                }
                people.remove(user.id());
                outcome[0] = true;
                outcome[1] = people.isEmpty();
                return outcome[1] ? null : people;
            });
            announce = outcome[0] && recordLeft(group, user.id(), user.displayName(), outcome[1]);
        }
        if (announce) {
            announce(group, workflowId, user.id(), user.displayName(), false);
        }
    }

    /** The people in the workflow now, each once, by display name. */
    List<ChatPayloads.Member> members(String tenantId, String workflowId) {
        String group = ChatHub.workflowGroup(tenantId, workflowId);
        List<ChatPayloads.Member> members = new ArrayList<>();
        if (shared.isPresent()) {
            try {
                for (RedisPresence.Seen seen : shared.get().members(group, config.presencePerWorkflow())) {
                    members.add(new ChatPayloads.Member(seen.userId(), seen.displayName()));
                }
            } catch (RedisPresence.PresenceUnavailable e) {
                // Redis is away: this replica's own people are the best answer there is.
                LOG.debugf("Presence read from this replica only: %s", e.getMessage());
                members = localMembers(group);
            }
        } else {
            members = localMembers(group);
        }
        members.sort(Comparator.comparing(ChatPayloads.Member::displayName, String.CASE_INSENSITIVE_ORDER)
                .thenComparing(ChatPayloads.Member::userId));
        return members;
    }

    private List<ChatPayloads.Member> localMembers(String group) {
        List<ChatPayloads.Member> members = new ArrayList<>();
        groupOfOrEmpty(group).forEach((userId, held) -> members.add(new ChatPayloads.Member(userId, held.displayName())));
        return members.size() > config.presencePerWorkflow()
                ? new ArrayList<>(members.subList(0, config.presencePerWorkflow())) : members;
    }

    /**
     * Says this replica is alive, records its entries again when Redis lost them (a failed step, or this
     * replica was taken for dead), and sweeps dead replicas, announcing the people who left with them.
     */
    @Scheduled(skipExecutionIf = Scheduled.ApplicationNotRunning.class, every = "${switchboard.chat.presence-heartbeat:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void beat() {
        if (shared.isEmpty()) {
            return;
        }
        RedisPresence redis = shared.get();
        try {
            if (redis.heartbeat() && listed.getAndSet(true)) {
                unsure.set(true); // swept while it could not beat: its entries are gone
            }
            retryLeaves(redis);
            if (unsure.getAndSet(false)) {
                recordAllAgain();
            }
            for (int i = 0; i < SWEEPS_PER_BEAT; i++) {
                Optional<RedisPresence.Swept> swept = redis.sweepOne();
                if (swept.isEmpty()) {
                    break;
                }
                LOG.infof("Replica %s stopped beating: %d people left their workflows with it",
                        swept.get().serverId(), swept.get().gone().size());
                for (RedisPresence.Seen gone : swept.get().gone()) {
                    announce(gone.group(), ChatHub.workflowIdOf(gone.group()), gone.userId(), gone.displayName(), false);
                }
            }
        } catch (RedisPresence.PresenceUnavailable e) {
            unsure.set(true);
            LOG.debugf("Presence heartbeat skipped: %s", e.getMessage());
        }
    }

    private void retryLeaves(RedisPresence redis) {
        for (Seen seen : List.copyOf(leavesToRetry)) {
            synchronized (lock(seen.group(), seen.userId())) {
                if (groupOfOrEmpty(seen.group()).containsKey(seen.userId())) {
                    leavesToRetry.remove(seen); // back in since: the entry is right
                    continue;
                }
                if (redis.leave(seen.group(), seen.userId(), groupOfOrEmpty(seen.group()).isEmpty())) {
                    announce(seen.group(), ChatHub.workflowIdOf(seen.group()), seen.userId(), seen.displayName(), false);
                }
                leavesToRetry.remove(seen);
            }
        }
    }

    private void recordAllAgain() {
        local.forEach((group, people) -> people.forEach((userId, held) -> {
            synchronized (lock(group, userId)) {
                if (groupOfOrEmpty(group).containsKey(userId)
                        && shared.get().enter(group, userId, held.displayName(), config.presencePerWorkflow())) {
                    announce(group, ChatHub.workflowIdOf(group), userId, held.displayName(), true);
                }
            }
        }));
    }

    private boolean recordEntered(String group, String userId, String displayName) {
        if (shared.isEmpty()) {
            return true;
        }
        leavesToRetry.removeIf(seen -> seen.group().equals(group) && seen.userId().equals(userId));
        try {
            if (!listed.get()) {
                shared.get().heartbeat(); // before the scheduler's first beat: be visible at once
                listed.set(true);
            }
            return shared.get().enter(group, userId, displayName, config.presencePerWorkflow());
        } catch (RedisPresence.PresenceUnavailable e) {
            unsure.set(true);
            LOG.warnf("Presence of a person in a workflow not recorded (recorded at the next heartbeat): %s", e.getMessage());
            return false;
        }
    }

    private boolean recordLeft(String group, String userId, String displayName, boolean lastHere) {
        if (shared.isEmpty()) {
            return true;
        }
        try {
            return shared.get().leave(group, userId, lastHere);
        } catch (RedisPresence.PresenceUnavailable e) {
            leavesToRetry.add(new Seen(group, userId, displayName));
            if (stopping) {
                LOG.debugf("A person's leaving a workflow not recorded while stopping (swept later): %s", e.getMessage());
            } else {
                LOG.warnf("A person's leaving a workflow not recorded (retried at the next heartbeat): %s", e.getMessage());
            }
            return false;
        }
    }

    void onShutdown(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        stopping = true;
    }

    private void announce(String group, String workflowId, String userId, String displayName, boolean online) {
        chat().sendToGroup(group, PRESENCE_CHANGED, new ChatPayloads.PresenceChanged(workflowId, userId, displayName, online));
    }

    private HubContext chat() {
        return hubs.context(ChatHub.NAME);
    }

    private Map<String, Held> groupOfOrEmpty(String group) {
        return local.getOrDefault(group, Map.of());
    }

    private Object lock(String group, String userId) {
        return locks[Math.floorMod(31 * group.hashCode() + userId.hashCode(), LOCK_STRIPES)];
    }
}
