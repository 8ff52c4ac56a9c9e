package io.switchboard.signalr.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.signalr.protocol.CloseMessage;
import io.switchboard.signalr.protocol.CompletionMessage;
import io.switchboard.signalr.protocol.HubMessage;
import io.switchboard.signalr.protocol.InvocationBinder;
import io.switchboard.signalr.protocol.InvocationBindingFailureMessage;
import io.switchboard.signalr.protocol.InvocationMessage;
import io.switchboard.signalr.protocol.StreamInvocationMessage;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Routes parsed messages of one hub to its methods (ASP.NET Core's DefaultHubDispatcher).
 * Invocations run off the event loop, one at a time per connection, so hub methods may block.
 * Failures become error Completions with a short sentence; internals go to the log only.
 *
 * <p>Every invocation, {@code onConnected} and {@code onDisconnected} goes through the
 * {@link HubFilter}s, on the worker thread that runs it: what the application adds around hub
 * methods (its capacity, which of its failures are temporary) lives there. The engine keeps only what
 * a filter cannot see: the {@code signalr.invocations} counter, because binding failures are answered
 * here before any filter runs, and a filter's own answer or refusal must be counted like the hub's.
 */
final class HubDispatcher {

    private static final Logger LOG = Logger.getLogger(HubDispatcher.class);

    private final Hub hub;
    private final HubMethods methods;
    private final HubContext hubContext;
    private final MeterRegistry metrics;
    private final InvocationBinder binder;
    private final List<HubFilter> filters;

    /** @param filters applied around every invocation, {@code onConnected} and {@code onDisconnected}, the first outermost */
    HubDispatcher(Hub hub, HubContext hubContext, MeterRegistry metrics, List<HubFilter> filters) {
        this.hub = hub;
        this.filters = List.copyOf(filters);
        this.hubContext = hubContext;
        this.metrics = metrics;
        this.methods = new HubMethods();
        hub.describe(methods);
        this.binder = target -> methods.find(target).map(HubMethods.HubMethod::parameterTypes);
    }

    InvocationBinder binder() {
        return binder;
    }

    HubCallerContext callerOf(HubConnectionContext connection) {
        return new HubCallerContext(connection, hubContext);
    }

    /** Called on the transport's thread for every parsed message, in arrival order. */
    void dispatch(HubConnectionContext connection, HubMessage message) {
        if (message instanceof InvocationMessage invocation) {
            connection.invocations().submit(() -> invoke(connection, invocation));
        } else if (message instanceof InvocationBindingFailureMessage failure) {
            count(knownNameOrUnknown(failure.target()), "bad_arguments");
            connection.invocations().submit(() -> answer(connection, failure.invocationId(),
                    CompletionMessage.withError(failure.invocationId(), failure.reason())));
        } else if (message instanceof StreamInvocationMessage stream) {
            connection.invocations().submit(() -> answer(connection, stream.invocationId(),
                    CompletionMessage.withError(stream.invocationId(), refusalOf(stream))));
        } else if (message instanceof CloseMessage) {
            connection.abort();
        }
        // Ping only refreshes the client timeout (done on receipt); CancelInvocation, StreamItem,
        // client Completion, Ack and Sequence carry nothing these hubs act on.
    }

    // Metric tags take declared names only, so clients cannot create unbounded tag values.
    private String knownNameOrUnknown(String target) {
        return methods.find(target).map(HubMethods.HubMethod::name).orElse("unknown");
    }

    /** No method of these hubs streams its result: ASP.NET Core's answer to a StreamInvocation of one. */
    private String refusalOf(StreamInvocationMessage stream) {
        if (methods.find(stream.target()).isEmpty()) {
            return InvocationBindingFailureMessage.unknownMethod(stream.invocationId(), stream.target()).reason();
        }
        return "The client attempted to invoke the non-streaming '" + stream.target()
                + "' method with a streaming invocation.";
    }

    private void invoke(HubConnectionContext connection, InvocationMessage invocation) {
        Optional<HubMethods.HubMethod> method = methods.find(invocation.target());
        if (method.isEmpty()) {
            // The binder already checked; a method table never changes, so this is unreachable.
            answer(connection, invocation.invocationId(), CompletionMessage.withError(invocation.invocationId(),
                    "Unknown hub method '" + invocation.target() + "'."));
            return;
        }
        String name = method.get().name();
        if (!invocation.streamIds().isEmpty()) {
            // No method of these hubs takes a stream; ASP.NET Core's sentence (without its prefix,
            // "An unexpected error occurred invoking 'X' on the server. HubException: ").
            count(name, "bad_arguments");
            answer(connection, invocation.invocationId(), CompletionMessage.withError(invocation.invocationId(),
                    "Client sent " + invocation.streamIds().size() + " stream(s), Hub method expects 0."));
            return;
        }
        CompletionMessage completion;
        try {
            HubCallerContext caller = callerOf(connection);
            Object result = invokeThroughFilters(0, new HubFilter.Invocation(caller, hub.name(), name,
                    invocation.arguments()), () -> method.get().invoker().invoke(caller, invocation.arguments()));
            completion = CompletionMessage.withResult(invocation.invocationId(), result);
            count(name, "ok");
        } catch (HubUnavailableException e) {
            // No stack trace: the outage itself is logged, and reported by readiness, elsewhere.
            LOG.debugf("Hub method %s.%s failed for %s, temporarily: %s", hub.name(), name, connection, e.getCause());
            completion = CompletionMessage.withError(invocation.invocationId(), e.getMessage());
            count(name, "unavailable");
        } catch (HubException e) {
            completion = CompletionMessage.withError(invocation.invocationId(), e.getMessage());
            count(name, "rejected");
        } catch (Exception | LinkageError e) {
            LOG.errorf(e, "Hub method %s.%s failed for %s", hub.name(), name, connection);
            completion = CompletionMessage.withError(invocation.invocationId(),
                    "An unexpected error occurred invoking '" + name + "' on the server.");
            count(name, "error");
        }
        answer(connection, invocation.invocationId(), completion);
    }

    private Object invokeThroughFilters(int index, HubFilter.Invocation invocation, HubFilter.Next<Object> hubMethod)
            throws Exception {
        if (index == filters.size()) {
            return hubMethod.proceed();
        }
        return filters.get(index).invoke(invocation, () -> invokeThroughFilters(index + 1, invocation, hubMethod));
    }

    /** The hub's {@code onConnected}, through the filters. */
    void onConnected(HubCallerContext caller) throws Exception {
        aroundLifecycle(0, caller, true);
    }

    /** The hub's {@code onDisconnected}, through the filters. */
    void onDisconnected(HubCallerContext caller) throws Exception {
        aroundLifecycle(0, caller, false);
    }

    private void aroundLifecycle(int index, HubCallerContext caller, boolean connected) throws Exception {
        if (index == filters.size()) {
            if (connected) {
                hub.onConnected(caller);
            } else {
                hub.onDisconnected(caller);
            }
            return;
        }
        HubFilter.Next<Void> next = () -> {
            aroundLifecycle(index + 1, caller, connected);
            return null;
        };
        if (connected) {
            filters.get(index).onConnected(caller, next);
        } else {
            filters.get(index).onDisconnected(caller, next);
        }
    }

    private static void answer(HubConnectionContext connection, String invocationId, CompletionMessage completion) {
        // Without an invocation id the client asked for no answer (fire and forget).
        if (invocationId != null) {
            connection.write(completion);
        }
    }

    private void count(String method, String outcome) {
        Counter.builder("signalr.invocations")
                .description("Hub method invocations by outcome")
                .tag("hub", hub.name()).tag("method", method).tag("outcome", outcome)
                .register(metrics).increment();
    }
}
