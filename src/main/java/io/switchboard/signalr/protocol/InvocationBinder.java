package io.switchboard.signalr.protocol;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;

/**
 * What a codec asks to bind an invocation: the declared parameter types of a hub method. The codec
 * never sees hub classes (as {@code IInvocationBinder} in ASP.NET Core).
 */
@FunctionalInterface
public interface InvocationBinder {

    /** The parameter types of {@code target}, or empty when the hub has no such method. */
    Optional<List<Type>> parameterTypes(String target);
}
