package dev.switchboard.portal;

import java.util.List;

import dev.switchboard.homey.TestHomeyService;

/**
 * Everything the simulator page shows. {@code selected} is the test Homey the page connects as (null when the
 * developer has none yet); {@code request}, {@code errors}, {@code keyPathCheck} and {@code result} belong to the
 * test-request form and the key-path tester.
 */
public record SimulatorView(
        String webhookId,
        String webhookName,
        String savedKeyPath,
        String senderUrl,
        List<TestHomeyRow> testHomeys,
        TestHomeyRow selected,
        String registrationData,
        boolean registered,
        String labelValue,
        String labelError,
        TestRequestForm request,
        TestRequestForm.Errors errors,
        KeyPathCheck keyPathCheck,
        KeyPathTestResult result) {

    public boolean atTestHomeyLimit() {
        return testHomeys.size() >= TestHomeyService.MAX_PER_DEVELOPER;
    }

    /** The methods the sender endpoint accepts, in the order the form offers them. */
    public List<String> methods() {
        return List.of("POST", "GET", "PUT", "PATCH", "DELETE");
    }

    SimulatorView withKeyPathCheck(KeyPathCheck check) {
        return new SimulatorView(webhookId, webhookName, savedKeyPath, senderUrl, testHomeys, selected,
                registrationData, registered, labelValue, labelError, request, errors, check, result);
    }
}
