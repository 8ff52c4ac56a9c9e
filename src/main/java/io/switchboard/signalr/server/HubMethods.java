package io.switchboard.signalr.server;

import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The method table of one hub, declared by the hub with typed lambdas: no reflection at start or
 * per call, so it works unchanged in a native image. Names match case-insensitively, as in ASP.NET Core.
 */
public final class HubMethods {

    @FunctionalInterface
    public interface Call0<R> {
        R call(HubCallerContext caller) throws Exception;
    }

    @FunctionalInterface
    public interface Call1<A, R> {
        R call(HubCallerContext caller, A a) throws Exception;
    }

    @FunctionalInterface
    public interface Call2<A, B, R> {
        R call(HubCallerContext caller, A a, B b) throws Exception;
    }

    @FunctionalInterface
    public interface Call3<A, B, C, R> {
        R call(HubCallerContext caller, A a, B b, C c) throws Exception;
    }

    @FunctionalInterface
    interface Invoker {
        Object invoke(HubCallerContext caller, List<Object> arguments) throws Exception;
    }

    /** One declared method: its wire name, parameter types for binding, and how to call it. */
    record HubMethod(String name, List<Type> parameterTypes, Invoker invoker) {
    }

    private final Map<String, HubMethod> methods = new HashMap<>();

    public <R> HubMethods on(String name, Call0<R> call) {
        return add(name, List.of(), (caller, args) -> call.call(caller));
    }

    @SuppressWarnings("unchecked")
    public <A, R> HubMethods on(String name, Class<A> a, Call1<A, R> call) {
        return add(name, List.of(a), (caller, args) -> call.call(caller, (A) args.get(0)));
    }

    @SuppressWarnings("unchecked")
    public <A, B, R> HubMethods on(String name, Class<A> a, Class<B> b, Call2<A, B, R> call) {
        return add(name, List.of(a, b), (caller, args) -> call.call(caller, (A) args.get(0), (B) args.get(1)));
    }

    @SuppressWarnings("unchecked")
    public <A, B, C, R> HubMethods on(String name, Class<A> a, Class<B> b, Class<C> c, Call3<A, B, C, R> call) {
        return add(name, List.of(a, b, c),
                (caller, args) -> call.call(caller, (A) args.get(0), (B) args.get(1), (C) args.get(2)));
    }

    private HubMethods add(String name, List<Type> types, Invoker invoker) {
        if (methods.putIfAbsent(key(name), new HubMethod(name, types, invoker)) != null) {
            throw new IllegalStateException("Hub method '" + name + "' is declared twice");
        }
        return this;
    }

    Optional<HubMethod> find(String name) {
        return Optional.ofNullable(methods.get(key(name)));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
