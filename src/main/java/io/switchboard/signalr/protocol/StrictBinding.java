package io.switchboard.signalr.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The argument binding rules every codec shares: a number is not a string, "5" is not a number and
 * 1.5 is not an int, as System.Text.Json and MessagePack-CSharp bind in ASP.NET Core.
 */
final class StrictBinding {

    /** The deepest nesting a client's JSON may use. */
    static final int MAX_DEPTH = 64;

    private StrictBinding() {
    }

    /** A copy of {@code mapper} (same modules, same format) that refuses every scalar coercion. */
    static ObjectMapper strictCopyOf(ObjectMapper mapper) {
        ObjectMapper strict = mapper.copy();
        // Nothing a client sends may nest deeper than the protocol allows (docs/api.md, "Limits");
        // copy() gave this mapper its own factory, so the application's mapper keeps its settings.
        strict.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH).build());
        // A repeated key: the later one wins, as in ASP.NET Core (the application's mapper refuses it for REST).
        strict.getFactory().disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // 1.5 is not an int: fail instead of truncating it.
        strict.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType scalar : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            strict.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        return strict;
    }
}
