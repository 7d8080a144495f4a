package dev.switchboard.delivery.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class CopyBinaryTest {

    private static final String HEADER = "5047434f50590aff0d0a00" + "00000000" + "00000000";

    @Test
    void encodesARowInPostgresBinaryCopyFormat() throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        CopyBinary copy = new CopyBinary((bytes, length) -> data.write(bytes, 0, length), new CopyBinary.Buffer(64));
        copy.row(4)
                .timestamptz(Instant.parse("2000-01-01T00:00:00.000001Z")) // PostgreSQL epoch + 1 µs
                .int4(-2)
                .text("é")
                .json(new byte[] {'{', '}'})
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
    void timesBeforeThePostgresEpochAreNegative() throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        CopyBinary copy = new CopyBinary((bytes, length) -> data.write(bytes, 0, length), new CopyBinary.Buffer(64));
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
        }, new CopyBinary.Buffer(64));
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
