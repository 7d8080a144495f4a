package dev.switchboard.ingest;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.switchboard.payload.PayloadParser;

/** One shared, thread-safe payload parser. */
class PayloadParsers {

    @Produces
    @Singleton
    PayloadParser payloadParser() {
        return new PayloadParser();
    }
}
