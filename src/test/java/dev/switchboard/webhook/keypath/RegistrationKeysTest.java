package dev.switchboard.webhook.keypath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistrationKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Registration data, and the declared keys in order as a JSON array. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"$key": "aaa"}                                   | ["aaa"]
            {"$key": 42}                                      | ["42"]
            {"$key": 42.0}                                    | ["42"]
            {"$key": true}                                    | ["true"]
            {"$key": ["a", "b"]}                              | ["a", "b"]
            {"$keys": ["a", "b"]}                             | ["a", "b"]
            {"$keys": "a"}                                    | ["a"]
            {"$key": "a", "$keys": ["b", "c"]}                | ["a", "b", "c"]
            {"$key": "a", "$keys": ["a", 1, "1", false]}      | ["a", "1", "false"]
            {"$keys": []}                                     | []
            {}                                                | []
            {"other": "x", "key": "y", "keys": ["z"]}         | []
            {"$key": "", "$keys": [""]}                       | [""]
            {"$key": null, "$keys": [null, {}, ["x"], "ok"]}  | ["ok"]
            {"$key": {"a": 1}}                                | []
            {"$key": 12345678901234567890}                    | ["12345678901234567890"]
            """)
    void declaredKeys(String data, String expected) throws Exception {
        List<String> expectedKeys = List.of(JSON.readValue(expected, String[].class));

        assertEquals(expectedKeys, List.copyOf(RegistrationKeys.of(JSON.readTree(data))));
    }

    @Test
    void notAnObjectDeclaresNothing() throws Exception {
        assertEquals(Set.of(), RegistrationKeys.of(JSON.readTree("[\"a\"]")));
        assertEquals(Set.of(), RegistrationKeys.of(JSON.readTree("\"a\"")));
        assertEquals(Set.of(), RegistrationKeys.of(JSON.readTree("null")));
        assertEquals(Set.of(), RegistrationKeys.of(MissingNode.getInstance()));
        assertEquals(Set.of(), RegistrationKeys.of(null));
    }

    @Test
    void declaredKeysAreUnmodifiable() throws Exception {
        Set<String> keys = RegistrationKeys.of(JSON.readTree("{\"$key\": \"a\"}"));
        assertThrows(UnsupportedOperationException.class, () -> keys.add("b"));
    }

    @Test
    void keysMatchWhatAKeyPathFinds() throws Exception {
        Set<String> declared = RegistrationKeys.of(JSON.readTree("{\"$keys\": [\"42\", \"true\"]}"));
        List<String> found = KeyPath.parse("body.device").evaluate(JSON.readTree("{\"device\": [42, true]}"), null, null);

        assertEquals(List.copyOf(declared), found);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {}                                          | ``
            {"$key": "a"}                               | ``
            {"$key": 1, "$keys": [2, "3", true]}        | ``
            {"$key": ["a", 1]}                          | ``
            {"$keys": "a"}                              | ``
            {"$keys": []}                               | ``
            {"other": null}                             | ``
            {"$key": null}                              | data.$key must be a string, number or boolean, or an array of them
            {"$key": {}}                                | data.$key must be a string, number or boolean, or an array of them
            {"$keys": null}                             | data.$keys must be a string, number or boolean, or an array of them
            {"$keys": {"a": "b"}}                       | data.$keys must be a string, number or boolean, or an array of them
            {"$keys": ["a", null]}                      | data.$keys[1] must be a string, number or boolean
            {"$keys": ["a", {}]}                        | data.$keys[1] must be a string, number or boolean
            {"$keys": [["a"]]}                          | data.$keys[0] must be a string, number or boolean
            {"$key": [null]}                            | data.$key[0] must be a string, number or boolean
            {"$key": null, "$keys": null}               | data.$key must be a string, number or boolean, or an array of them
            [1]                                         | data must be a JSON object
            "text"                                      | data must be a JSON object
            null                                        | data must be a JSON object
            """)
    void validatesTheShapeOfData(String data, String expectedProblem) throws Exception {
        Optional<String> expected = expectedProblem.isEmpty() ? Optional.empty() : Optional.of(expectedProblem);

        assertEquals(expected, RegistrationKeys.validate(JSON.readTree(data)));
    }

    @Test
    void missingDataIsInvalid() {
        assertEquals(Optional.of("data must be a JSON object"), RegistrationKeys.validate(null));
        assertEquals(Optional.of("data must be a JSON object"), RegistrationKeys.validate(MissingNode.getInstance()));
    }
}
