package dev.switchboard.delivery.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class CopyBinaryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String HEADER = "5047434f50590aff0d0a00" + "00000000" + "00000000";

    @Test
    void encodesARowInPostgresBinaryCopyFormat() throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        CopyBinary copy = new CopyBinary((bytes, length) -> data.write(bytes, 0, length), new CopyBinary.Buffer(64), MAPPER);
        copy.row(4)
                .timestamptz(Instant.parse("2000-01-01T00:00:00.000001Z")) // PostgreSQL epoch + 1 µs
                .int4(-2)
                .text("é")
                .json(MAPPER.createObjectNode())
                .row(1)
                .nullValue();
        copy.finish();

        String expected = HEADER
                + "0004"
                + "00000008" + "0000000000000001"
                + "00000004" + "fffffffe"
                + "00000002" + "c3a9"
                + "00000002" + "7b7d"
                + "0001"
                + "ffffffff"
                + "ffff";
        assertArrayEquals(HexFormat.of().parseHex(expected), data.toByteArray());
    }

    @Test
    void textIsUtf8WithoutNulAndJsonIsTheTextJacksonWritesOneValueAfterAnother() throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        CopyBinary copy = new CopyBinary((bytes, length) -> data.write(bytes, 0, length), new CopyBinary.Buffer(16), MAPPER);
        ObjectNode headers = MAPPER.createObjectNode().put("x-name", "Grüße \u0000").put("n", "1");
        copy.row(6)
                .text("ascii-id")
                .text("a\u0000b")
                .text("€")
                .json(headers)
                .json(null)
                .json(MAPPER.createArrayNode().add(1));
        copy.finish();

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(HexFormat.of().parseHex(HEADER + "0006"));
        field(expected, "ascii-id".getBytes(StandardCharsets.UTF_8));
        field(expected, "a\uFFFDb".getBytes(StandardCharsets.UTF_8));
        field(expected, "€".getBytes(StandardCharsets.UTF_8));
        field(expected, MAPPER.writeValueAsBytes(headers));
        expected.write(HexFormat.of().parseHex("ffffffff"));
        field(expected, "[1]".getBytes(StandardCharsets.UTF_8));
        expected.write(HexFormat.of().parseHex("ffff"));
        assertArrayEquals(expected.toByteArray(), data.toByteArray());
        assertTrue(new String(MAPPER.writeValueAsBytes(headers), StandardCharsets.UTF_8).contains("\\u0000"),
                "NUL is written as an escape, which json keeps");
    }

    private static void field(ByteArrayOutputStream out, byte[] value) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(value.length).array());
        out.write(value);
    }

    @Test
    void timesBeforeThePostgresEpochAreNegative() throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        CopyBinary copy = new CopyBinary((bytes, length) -> data.write(bytes, 0, length), new CopyBinary.Buffer(64), MAPPER);
        copy.row(1).timestamptz(Instant.parse("1999-12-31T23:59:59Z"));
        copy.finish();
        String expected = HEADER + "0001" + "00000008" + "fffffffffff0bdc0" + "ffff";
        assertArrayEquals(HexFormat.of().parseHex(expected), data.toByteArray());
    }

    @Test
    void largeBatchesAreHandedOverInBoundedChunks() throws Exception {
        List<Integer> chunks = new ArrayList<>();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        CopyBinary copy = new CopyBinary((bytes, length) -> {
            chunks.add(length);
            data.write(bytes, 0, length);
        }, new CopyBinary.Buffer(64), MAPPER);
        byte[] body = new byte[300 * 1024];
        for (int i = 0; i < 10; i++) {
            copy.row(1).bytea(body);
        }
        copy.finish();

        assertTrue(chunks.size() > 1, "one chunk for 3 MB");
        assertTrue(chunks.stream().allMatch(n -> n < CopyBinary.FLUSH_BYTES + body.length + 16));
        assertEquals(19 + 10 * (2 + 4 + body.length) + 2, data.size());
    }
}
