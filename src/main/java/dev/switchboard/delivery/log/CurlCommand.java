package dev.switchboard.delivery.log;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.payload.HeaderRedaction;

/**
 * A curl command that sends a logged request to the sender URL again: same method, query, headers and body bytes,
 * except credential headers (those {@link HeaderRedaction} hides), which are left out rather than copied into a
 * clipboard, a chat or a ticket.
 *
 * @param text    the command, for a POSIX shell
 * @param omitted the credential headers that were left out, by name
 */
public record CurlCommand(String text, List<String> omitted) {

    /**
     * Set by curl itself from the request it sends; and accept-encoding, which would have curl print a compressed
     * answer as is (add --compressed for that).
     */
    private static final Set<String> LEFT_TO_CURL = Set.of("host", "content-length", "expect", "accept-encoding");

    public static CurlCommand of(String senderUrl, String method, ObjectNode headers, String rawQuery, byte[] body) {
        List<String> lines = new ArrayList<>();
        List<String> omitted = new ArrayList<>();
        String url = rawQuery == null || rawQuery.isEmpty() ? senderUrl : senderUrl + "?" + rawQuery;
        boolean hasBody = body != null && body.length > 0;
        String text = hasBody ? text(body) : null;
        StringBuilder first = new StringBuilder();
        if (hasBody && text == null) {
            // Bytes that are not text go through base64, so the command stays copy-pasteable and exact.
            first.append("printf '%s' ").append(quote(Base64.getEncoder().encodeToString(body)))
                    .append(" | base64 --decode | ");
        }
        first.append("curl");
        if (hasBody || !"GET".equals(method)) {
            first.append(" -X ").append(method);
        }
        first.append(' ').append(quote(url));
        lines.add(first.toString());
        boolean contentType = false;
        for (Map.Entry<String, JsonNode> header : headers.properties()) {
            String name = header.getKey();
            if (HeaderRedaction.isCredential(name)) {
                omitted.add(name);
            } else if (!LEFT_TO_CURL.contains(name)) {
                contentType |= name.equals("content-type");
                lines.add("-H " + quote(name + ": " + header.getValue().asText()));
            }
        }
        if (hasBody) {
            if (!contentType) {
                // curl would otherwise label the body application/x-www-form-urlencoded.
                lines.add("-H 'content-type:'");
            }
            lines.add("--data-binary " + (text == null ? "@-" : quote(text)));
        }
        return new CurlCommand(String.join(" \\\n  ", lines), List.copyOf(omitted));
    }

    /** The body as text when it is clean UTF-8 without control characters, else null. */
    private static String text(byte[] body) {
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return null;
            }
        }
        return decoded;
    }

    /** Single-quoted for a POSIX shell: nothing inside is special but the quote itself. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
