package dev.switchboard.delivery.recording;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Rows in PostgreSQL's binary COPY format ({@code COPY ... FROM STDIN (FORMAT binary)}). Binary COPY measured
 * fastest for the delivery log (InsertMethodBenchmark): no SQL text to parse, no escaping,
 * no per-row parameters, and values travel in the server's own representation.
 */
final class CopyBinary {

    /** Where encoded bytes go: the COPY's data stream, or a test's byte array. */
    interface Sink {
        void write(byte[] bytes, int length) throws SQLException;
    }

    /**
     * Bytes gathered before they are handed to the sink: memory stays bounded whatever the batch holds (2,000
     * requests of up to 1 MiB each would otherwise be one 2 GB array), and the server parses while we encode.
     */
    static final int FLUSH_BYTES = 1 << 20;

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix microseconds. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    private static final int TEXT_OID = 25;

    private final Sink sink;
    private final Buffer out;

    /** @param buffer where rows are encoded before the sink takes them; emptied first, so it can be reused */
    CopyBinary(Sink sink, Buffer buffer) {
        this.sink = sink;
        this.out = buffer;
        out.reset();
        out.write(SIGNATURE, 0, SIGNATURE.length);
        out.writeInt(0); // flags
        out.writeInt(0); // header extension length
    }

    CopyBinary row(int fields) throws SQLException {
        if (out.size() >= FLUSH_BYTES) {
            flush();
        }
        out.writeShort(fields);
        return this;
    }

    CopyBinary timestamptz(Instant at) {
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000)
                - PG_EPOCH_MICROS;
        out.writeInt(8);
        out.writeLong(micros);
        return this;
    }

    CopyBinary int4(int value) {
        out.writeInt(4);
        out.writeInt(value);
        return this;
    }

    /** text and varchar; NUL, which PostgreSQL text cannot hold, becomes U+FFFD. */
    CopyBinary text(String value) {
        if (value == null) {
            return nullValue();
        }
        String storable = value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
        byte[] bytes = storable.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /** A one-dimensional text[] without NULL elements; an empty or null list is NULL. */
    CopyBinary textArray(List<String> values) {
        if (values == null || values.isEmpty()) {
            return nullValue();
        }
        byte[][] elements = new byte[values.size()][];
        int length = 20; // ndim, has-null flag, element type, dimension size, lower bound
        for (int i = 0; i < elements.length; i++) {
            elements[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
            length += 4 + elements[i].length;
        }
        out.writeInt(length);
        out.writeInt(1);
        out.writeInt(0);
        out.writeInt(TEXT_OID);
        out.writeInt(elements.length);
        out.writeInt(1);
        for (byte[] element : elements) {
            out.writeInt(element.length);
            out.write(element, 0, element.length);
        }
        return this;
    }

    CopyBinary bytea(byte[] value) {
        if (value == null) {
            return nullValue();
        }
        out.writeInt(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    /** {@code utf8Json} must be valid JSON in UTF-8; the binary form of json is its text. */
    CopyBinary json(byte[] utf8Json) {
        return bytea(utf8Json);
    }

    CopyBinary nullValue() {
        out.writeInt(-1);
        return this;
    }

    /** Writes the trailer and hands over what is left; the COPY data is complete after this. */
    void finish() throws SQLException {
        out.writeShort(-1);
        flush();
    }

    private void flush() throws SQLException {
        sink.write(out.array(), out.size());
        out.reset();
    }

    /** A growable byte array, unsynchronized (one writer thread), whose array the COPY reads without copying. */
    static final class Buffer {

        private byte[] bytes;
        private int size;

        Buffer(int expected) {
            bytes = new byte[Math.max(64, expected)];
        }

        byte[] array() {
            return bytes;
        }

        int size() {
            return size;
        }

        void reset() {
            size = 0;
        }

        void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        void write(byte[] b, int offset, int length) {
            ensure(length);
            System.arraycopy(b, offset, bytes, size, length);
            size += length;
        }

        void writeShort(int v) {
            ensure(2);
            bytes[size++] = (byte) (v >>> 8);
            bytes[size++] = (byte) v;
        }

        void writeInt(int v) {
            ensure(4);
            bytes[size++] = (byte) (v >>> 24);
            bytes[size++] = (byte) (v >>> 16);
            bytes[size++] = (byte) (v >>> 8);
            bytes[size++] = (byte) v;
        }

        void writeLong(long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
