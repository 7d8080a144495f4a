package dev.switchboard.delivery.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.routing.RoutedBy;

class RuleExplanationTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void homeyQuery() {
        assertEquals("The request named Homey h1 in its ?homey= parameter. That Homey is registered for this webhook,"
                + " so it alone received the request.",
                RuleExplanation.of(RoutedBy.HOMEY_QUERY, json("{\"homey\":\"h1\",\"registered\":true}"), 1));
        assertEquals("The request named Homey h2 in its ?homey= parameter, but that Homey is not registered for this"
                + " webhook, so nobody received it.",
                RuleExplanation.of(RoutedBy.HOMEY_QUERY, json("{\"homey\":\"h2\",\"registered\":false}"), 0));
    }

    @Test
    void keyPath() {
        assertEquals("The key path body.device found \"lamp\". 2 Homeys registered with a matching $key or $keys"
                + " received it.",
                RuleExplanation.of(RoutedBy.KEY_PATH, json("{\"keyPath\":\"body.device\",\"values\":[\"lamp\"]}"), 2));
        assertEquals("The key path body.device found \"a\", \"b\". No registration has any of these values in its"
                + " $key or $keys, so nobody received it.",
                RuleExplanation.of(RoutedBy.KEY_PATH, json("{\"keyPath\":\"body.device\",\"values\":[\"a\",\"b\"]}"), 0));
        assertEquals("The key path body.device found no value in the request (the key is missing, or holds null or an"
                + " object), so nobody received it.",
                RuleExplanation.of(RoutedBy.KEY_PATH, json("{\"keyPath\":\"body.device\",\"values\":[]}"), 0));
        assertEquals("The key path body.ids found \"1\", \"2\", \"3\", \"4\", \"5\" and 2 more. 1 Homey registered"
                + " with a matching $key or $keys received it.",
                RuleExplanation.of(RoutedBy.KEY_PATH,
                        json("{\"keyPath\":\"body.ids\",\"values\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\"]}"), 1));
    }

    @Test
    void legacyFunction() {
        assertEquals("The legacy cloud function ran for 3 registrations in 12 ms: 1 returned true, 1 returned"
                + " something other than true, 1 threw an error. 1 Homey received it.",
                RuleExplanation.of(RoutedBy.LEGACY_FUNCTION, json("{\"results\":[{\"homeyId\":\"a\",\"outcome\":\"matched\"},"
                        + "{\"homeyId\":\"b\",\"outcome\":\"not_matched\"},{\"homeyId\":\"c\",\"outcome\":\"threw\","
                        + "\"message\":\"x\"}],\"elapsedMs\":12}"), 1));
        // What Router records for a webhook without registrations.
        assertEquals("The webhook's legacy cloud function had no registrations to run for, so nobody received it.",
                RuleExplanation.of(RoutedBy.LEGACY_FUNCTION, json("[]"), 0));
    }

    @Test
    void noRule() {
        assertEquals("The request had no ?homey= parameter, and the webhook had neither a key path nor a legacy cloud"
                + " function, so nobody received it. Set a key path to route requests like this one.",
                RuleExplanation.of(RoutedBy.NO_MATCH, null, 0));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
