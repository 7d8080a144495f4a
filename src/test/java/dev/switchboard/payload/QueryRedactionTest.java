package dev.switchboard.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryRedactionTest {

    @ParameterizedTest
    @ValueSource(strings = {"access_token", "token", "key", "secret", "signature", "sig", "api_key", "apikey", "API-KEY",
        "client_secret", "X-Amz-Signature", "X-Amz-Credential", "auth", "id_token", "hub.secret", "app_key", "password"})
    void credentials(String name) {
        assertTrue(QueryRedaction.isCredential(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"homey", "device", "device_id", "id", "event", "keys", "monkey_id", "page"})
    void notCredentials(String name) {
        assertFalse(QueryRedaction.isCredential(name), name);
    }

    @Test
    void redactsValuesInPlaceAndLeavesTheRestAsReceived() {
        assertEquals("homey=abc&access_token=%5Bredacted%5D&x=%20y&sig=%5Bredacted%5D",
                QueryRedaction.redact("homey=abc&access_token=t0k&x=%20y&sig=s1g"));
        assertEquals("a%5Fb=1&api%5Fkey=%5Bredacted%5D", QueryRedaction.redact("a%5Fb=1&api%5Fkey=k"));
        assertEquals("token=%5Bredacted%5D", QueryRedaction.redact("token"));
        assertNull(QueryRedaction.redact(null));
    }

    @Test
    void theCurlCopyLeavesCredentialsOut() {
        assertEquals("homey=abc&x=1", QueryRedaction.withoutCredentials("homey=abc&key=k&x=1"));
        assertNull(QueryRedaction.withoutCredentials("key=k&token=t"));
    }
}
