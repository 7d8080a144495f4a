package dev.switchboard.payload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Interprets an {@link InboundRequest} as the {@link WebhookPayload} that is routed and delivered.
 * Thread-safe; create one and share it.
 *
 * <p>Never throws on request content: whatever a sender posts, a Homey gets a message, with the exact
 * bytes in {@code rawBody} whenever the interpretation had to give up.
 */
public final class PayloadParser {

    /**
     * Deep enough for any real webhook, shallow enough that recursive readers of the tree (key paths,
     * legacy functions, the frame writer) cannot run out of stack on a hostile body. Deeper JSON is
     * treated as malformed. Number, string and name lengths keep Jackson's defaults.
     */
    public static final int MAX_NESTING_DEPTH = 256;

    private final ObjectMapper json;

    public PayloadParser() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        // Duplicate keys: the last one wins (Jackson's tree default), as with JSON.parse on the Homey.
        // Trailing content after the value makes the body malformed rather than silently truncated.
        this.json = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    public WebhookPayload parse(InboundRequest request) {
        String contentType = ForwardedHeaders.first(request.headers(), "content-type");
        byte[] raw = request.body();
        Body body = interpret(raw, MediaType.parse(contentType));
        return new WebhookPayload(
                request.method(),
                ForwardedHeaders.of(request.headers()),
                FormUrlEncoded.decode(request.rawQuery(), StandardCharsets.UTF_8),
                body.node(),
                raw,
                body.kind(),
                contentType);
    }

    private record Body(BodyKind kind, JsonNode node) {
    }

    private Body interpret(byte[] raw, MediaType type) {
        if (raw.length == 0) {
            return new Body(BodyKind.EMPTY, JsonNodeFactory.instance.objectNode());
        }
        if (type == null) {
            return sniff(raw);
        }
        Charset charset = type.charset();
        if (type.isJson()) {
            JsonNode parsed = parseJson(raw, charset);
            return parsed != null
                    ? new Body(BodyKind.JSON, parsed)
                    : new Body(BodyKind.MALFORMED_JSON, TextNode.valueOf(new String(raw, charset)));
        }
        if (type.isForm()) {
            return new Body(BodyKind.FORM, FormUrlEncoded.decode(new String(raw, charset), charset));
        }
        if (type.isText()) {
            return new Body(BodyKind.TEXT, TextNode.valueOf(new String(raw, charset)));
        }
        return binary();
    }

    /**
     * Without a Content-Type, many device clouds still send JSON, and some send plain text; anything that
     * is not clean UTF-8 text is treated as binary rather than turned into replacement characters.
     */
    private Body sniff(byte[] raw) {
        String text = strictUtf8(raw);
        if (text == null || hasControlCharacters(text)) {
            return binary();
        }
        JsonNode parsed = parseJson(raw, StandardCharsets.UTF_8);
        return parsed != null ? new Body(BodyKind.JSON, parsed) : new Body(BodyKind.TEXT, TextNode.valueOf(text));
    }

    /** Null when the bytes are not one complete JSON value within the constraints. */
    private JsonNode parseJson(byte[] raw, Charset charset) {
        try {
            // From bytes, Jackson handles UTF-8 itself (and skips a BOM); other charsets are decoded first.
            JsonNode node = charset.equals(StandardCharsets.UTF_8)
                    ? json.readTree(raw)
                    : json.readTree(new String(raw, charset));
            return node.isMissingNode() ? null : node;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static Body binary() {
        return new Body(BodyKind.BINARY, JsonNodeFactory.instance.objectNode());
    }

    private static String strictUtf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }

    /** C0 controls other than tab, line feed, form feed and carriage return do not occur in text. */
    private static boolean hasControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r') {
                return true;
            }
        }
        return false;
    }
}
