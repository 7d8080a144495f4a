package dev.switchboard.webhook.keypath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalValueTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** JSON text as a request would carry it, and the canonical text. */
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `"42"`                             | 42
            `"abc"`                            | abc
            `""`                               | ``
            `" padded "`                       | ` padded `
            true                               | true
            false                              | false
            42                                 | 42
            -7                                 | -7
            0                                  | 0
            -0                                 | 0
            42.0                               | 42
            -0.0                               | 0
            1.5                                | 1.5
            2.50                               | 2.5
            1e21                               | 1e+21
            1E21                               | 1e+21
            1e20                               | 100000000000000000000
            0.000001                           | 0.000001
            0.0000015                          | 0.0000015
            1e-7                               | 1e-7
            1.5e-7                             | 1.5e-7
            -1e-7                              | -1e-7
            0.1                                | 0.1
            123.456                            | 123.456
            1e2                                | 100
            9007199254740993                   | 9007199254740993
            -9223372036854775808               | -9223372036854775808
            18446744073709551616               | 18446744073709551616
            123456789012345678901234567890     | 123456789012345678901234567890
            9007199254740993.0                 | 9007199254740992
            """)
    void canonicalTextOfJsonScalars(String json, String expected) throws Exception {
        assertEquals(Optional.of(expected), CanonicalValue.of(JSON.readTree(json)));
    }

    @Test
    void nonScalarsHaveNoCanonicalText() throws Exception {
        assertEquals(Optional.empty(), CanonicalValue.of(JSON.readTree("null")));
        assertEquals(Optional.empty(), CanonicalValue.of(JSON.readTree("{}")));
        assertEquals(Optional.empty(), CanonicalValue.of(JSON.readTree("{\"a\": 1}")));
        assertEquals(Optional.empty(), CanonicalValue.of(JSON.readTree("[1]")));
        assertEquals(Optional.empty(), CanonicalValue.of(MissingNode.getInstance()));
        assertEquals(Optional.empty(), CanonicalValue.of(NODES.binaryNode(new byte[] {1})));
        assertEquals(Optional.empty(), CanonicalValue.of(NODES.pojoNode(new Object())));
        assertEquals(Optional.empty(), CanonicalValue.of(null));
    }

    @Test
    void numberNodesOfEveryKind() {
        assertEquals(Optional.of("42"), CanonicalValue.of(NODES.numberNode((short) 42)));
        assertEquals(Optional.of("42"), CanonicalValue.of(NODES.numberNode(42L)));
        assertEquals(Optional.of("9223372036854775807"), CanonicalValue.of(NODES.numberNode(Long.MAX_VALUE)));
        assertEquals(Optional.of("36893488147419103232"),
                CanonicalValue.of(NODES.numberNode(BigInteger.TWO.pow(65))));
        // A float is the double it widens to, as Math.fround(1.1) prints in JavaScript.
        assertEquals(Optional.of("1.100000023841858"), CanonicalValue.of(NODES.numberNode(1.1f)));
        assertEquals(Optional.of("42"), CanonicalValue.of(NODES.numberNode(new BigDecimal("42.000"))));
        assertEquals(Optional.of("0.1"), CanonicalValue.of(NODES.numberNode(new BigDecimal("0.1"))));
        assertEquals(Optional.of("NaN"), CanonicalValue.of(NODES.numberNode(Double.NaN)));
        assertEquals(Optional.of("Infinity"), CanonicalValue.of(NODES.numberNode(Double.POSITIVE_INFINITY)));
        assertEquals(Optional.of("-Infinity"), CanonicalValue.of(NODES.numberNode(Double.NEGATIVE_INFINITY)));
    }

    @Test
    void integersAndTheirStringsCompareEqual() throws Exception {
        JsonNode number = JSON.readTree("12345678901234567890");
        JsonNode text = JSON.readTree("\"12345678901234567890\"");

        assertEquals(CanonicalValue.of(text), CanonicalValue.of(number));
    }

    /**
     * Expected texts are what Node.js prints for {@code String(x)}. Several are where Java 17's
     * Double.toString emits a non-shortest digit string or switches notation differently.
     */
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.1                      | 0.1
            0.30000000000000004      | 0.30000000000000004
            0.3333333333333333       | 0.3333333333333333
            0.6666666666666666       | 0.6666666666666666
            1.0000000000000002       | 1.0000000000000002
            4.35                     | 4.35
            0.002                    | 0.002
            100                      | 100
            -1.5                     | -1.5
            1e21                     | 1e+21
            1.2345678901234568e21    | 1.2345678901234568e+21
            123456789012345680000    | 123456789012345680000
            999999999999999900000    | 999999999999999900000
            1e23                     | 1e+23
            2e23                     | 2e+23
            9007199254740992         | 9007199254740992
            9007199254740994         | 9007199254740994
            1152921504606846976      | 1152921504606847000
            2.82879384806159e17      | 282879384806159000
            1.0E-6                   | 0.000001
            1.0E-7                   | 1e-7
            5e-7                     | 5e-7
            1.2e-6                   | 0.0000012
            1.23e-18                 | 1.23e-18
            5e-324                   | 5e-324
            2.2250738585072014e-308  | 2.2250738585072014e-308
            1.7976931348623157e308   | 1.7976931348623157e+308
            2.0E-3                   | 0.002
            1.0E23                   | 1e+23
            8.41e21                  | 8.41e+21
            5.0E-324                 | 5e-324
            """)
    void formatsDoublesLikeEcmaScript(double value, String expected) {
        assertEquals(expected, EcmaScriptNumberText.of(value));
    }
}
