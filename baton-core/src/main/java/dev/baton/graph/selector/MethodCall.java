package dev.baton.graph.selector;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One use of a selector method, such as {@code config.meta.owner:finance}.
 *
 * @param method the method name ({@code config})
 * @param arguments the dotted parts after the name ({@code [meta, owner]})
 * @param value what follows the colon ({@code finance})
 * @param criterion the criterion as the user wrote it, for messages
 */
public record MethodCall(String method, List<String> arguments, String value, String criterion) {
    public MethodCall {
        requireNonNull(method, "method is null");
        arguments = List.copyOf(arguments);
        requireNonNull(value, "value is null");
        requireNonNull(criterion, "criterion is null");
    }
}
