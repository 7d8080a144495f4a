package dev.switchboard.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormUrlEncodedTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "NULL", value = {
        "NULL                        | {}",
        "``                          | {}",
        "homey=5f1d2c               | {'homey':'5f1d2c'}",
        "a=1&b=2                     | {'a':'1','b':'2'}",
        "a=1&b=2&a=3&a=4             | {'a':['1','3','4'],'b':'2'}",
        "a+b=c+d                     | {'a b':'c d'}",
        "%2B=%26%3D                  | {'+':'&='}",
        "q=%E2%82%AC%20%c3%a9        | {'q':'€ é'}",
        "q=%zz&r=%4&s=%              | {'q':'%zz','r':'%4','s':'%'}",
        "q=%%41                      | {'q':'%A'}",
        "q=%C3                       | {'q':'\uFFFD'}",
        "q=%FF%FE                    | {'q':'\uFFFD\uFFFD'}",
        "q=%uFF21                    | {'q':'%uFF21'}",
        "q=%１２                     | {'q':'%１２'}",
        "flag                        | {'flag':''}",
        "flag=                       | {'flag':''}",
        "flag&flag=x                 | {'flag':['','x']}",
        "&&a=1&&                     | {'a':'1'}",
        "=v                          | {'':'v'}",
        "a=b=c                       | {'a':'b=c'}",
        "a=1;b=2                     | {'a':'1;b=2'}",
        "é=ü                         | {'é':'ü'}",
        "b=1&a=2&b=3                 | {'b':['1','3'],'a':'2'}",
    })
    void decodesLikeTheUrlStandard(String encoded, String expected) throws Exception {
        String expectedJson = expected.strip().replace('\'', '"');

        assertEquals(MAPPER.readTree(expectedJson), FormUrlEncoded.decode(encoded == null ? null : encoded.strip(),
                StandardCharsets.UTF_8));
    }

    @Test
    void keysKeepTheOrderOfFirstAppearance() {
        var keys = FormUrlEncoded.decode("b=1&a=2&b=3", StandardCharsets.UTF_8).properties().stream()
                .map(Map.Entry::getKey)
                .toList();

        assertEquals(List.of("b", "a"), keys);
    }
}
