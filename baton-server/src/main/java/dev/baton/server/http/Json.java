package dev.baton.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import io.javalin.http.Context;

/** JSON in and out of the API. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    public static void write(Context context, int status, Object body) {
        byte[] bytes = text(body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        context.status(status).contentType("application/json").header("Content-Length", Integer.toString(bytes.length)).result(bytes);
    }

    public static String text(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The request body as a JSON object; a body that is not one is a 400 problem. */
    public static JsonNode body(Context context) {
        String text = context.body();
        if (text.isBlank()) {
            throw new BatonException(ErrorCode.MALFORMED_REQUEST, "the request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BatonException(ErrorCode.MALFORMED_REQUEST, "the request body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new BatonException(ErrorCode.MALFORMED_REQUEST, "the request body must be a JSON object, not " + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return node;
    }
}
