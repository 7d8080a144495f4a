package dev.switchboard.delivery.recording;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;

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
    private final ObjectMapper mapper;
    /** Writes JSON trees straight into {@link #out}; made on the first one. */
    private JsonGenerator json;
    private SerializerProvider serializers;

    /**
     * @param buffer where rows are encoded before the sink takes them; emptied first, so it can be reused
     * @param mapper writes the {@link #json(JsonNode)} values
     */
    CopyBinary(Sink sink, Buffer buffer, ObjectMapper mapper) {
        this.sink = sink;
        this.out = buffer;
        this.mapper = mapper;
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
        int at = out.size();
        out.writeInt(value.length());
        if (out.writeAscii(value)) {
            return this; // IDs, methods, most queries: one byte per character, no array in between
        }
        out.truncate(at);
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

    /**
     * A json value (the binary form of json is its text), or NULL for a null tree. Written as Jackson writes it, NUL
     * escapes included: json keeps the text (and so the order of keys) exactly. The text goes straight into the row, its
     * length filled in after.
     */
    CopyBinary json(JsonNode tree) {
        if (tree == null) {
            return nullValue();
        }
        int at = out.size();
        out.writeInt(0);
        try {
            if (json == null) {
                json = mapper.createGenerator(out);
                json.setRootValueSeparator(null);
                serializers = mapper.getSerializerProviderInstance();
            }
            tree.serialize(json, serializers);
            json.flush();
        } catch (IOException e) {
            throw new IllegalArgumentException("JSON tree cannot be written", e);
        }
        out.setInt(at, out.size() - at - 4);
        return this;
    }

    CopyBinary nullValue() {
        out.writeInt(-1);
        return this;
    }

    /** Writes the trailer and hands over what is left; the COPY data is complete after this. */
    void finish() throws SQLException {
        out.writeShort(-1);
        flush();
        if (json != null) {
            try {
                json.close(); // gives its buffer back to Jackson's pool; closing the Buffer does nothing
            } catch (IOException e) {
                throw new IllegalStateException("writing to memory cannot fail", e);
            }
        }
    }

    private void flush() throws SQLException {
        sink.write(out.array(), out.size());
        out.reset();
    }

    /**
     * A growable byte array, unsynchronized (one writer thread), whose array the COPY reads without copying. An
     * OutputStream, so that JSON is written straight into it.
     */
    static final class Buffer extends OutputStream {

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

        /** Drops what was written from {@code size} on. */
        void truncate(int size) {
            this.size = size;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int offset, int length) {
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

        /** Overwrites the four bytes at {@code at}. */
        void setInt(int at, int v) {
            bytes[at] = (byte) (v >>> 24);
            bytes[at + 1] = (byte) (v >>> 16);
            bytes[at + 2] = (byte) (v >>> 8);
            bytes[at + 3] = (byte) v;
        }

        /**
         * Writes {@code text} one byte per character if it is ASCII without NUL, and answers whether it was; if not,
         * what it wrote is left for the caller to {@link #truncate}.
         */
        boolean writeAscii(String text) {
            int length = text.length();
            ensure(length);
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                if (c == 0 || c >= 0x80) {
                    return false;
                }
                bytes[size++] = (byte) c;
            }
            return true;
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
