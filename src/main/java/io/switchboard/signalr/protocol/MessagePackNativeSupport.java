package io.switchboard.signalr.protocol;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What msgpack-core needs in a native image; Quarkus has no msgpack extension to do it. The static
 * initializer of {@code org.msgpack.core.buffer.MessageBuffer} picks its implementation by name
 * ({@code MessageBuffer} on little-endian machines with {@code sun.misc.Unsafe}, {@code MessageBufferBE}
 * on big-endian ones, {@code MessageBufferU} without Unsafe) and calls its {@code (byte[], int, int)} and
 * {@code (ByteBuffer)} constructors reflectively, so those are registered here. The same initializer
 * reads Unsafe array offsets, so the class is also initialized at run time
 * ({@code quarkus.native.additional-build-args} in application.properties). Jackson's msgpack factory,
 * parser and generator are created with {@code new}: nothing else is reflective. Established from the
 * msgpack-core 0.9.8 byte code; no native build can run on the build machines, so it is unverified.
 */
@RegisterForReflection(classNames = {
        "org.msgpack.core.buffer.MessageBuffer",
        "org.msgpack.core.buffer.MessageBufferBE",
        "org.msgpack.core.buffer.MessageBufferU"},
        methods = true, fields = false)
final class MessagePackNativeSupport {

    private MessagePackNativeSupport() {
    }
}
