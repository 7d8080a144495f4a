package dev.switchboard.routing;

import java.util.List;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.routing.legacy.LegacyEvaluation;
import dev.switchboard.routing.legacy.LegacyFunctionSandbox;
import dev.switchboard.routing.legacy.SandboxLimits;
import dev.switchboard.webhook.LegacyFunctionCheck;

/** The app's one legacy-function sandbox: checks functions on import and runs them while routing. */
@ApplicationScoped
public class LegacyFunctions implements LegacyFunctionCheck {

    private final LegacyFunctionSandbox sandbox;

    public LegacyFunctions(LegacyFunctionConfig config) {
        this.sandbox = new LegacyFunctionSandbox(new SandboxLimits(config.perCallTimeout(), config.requestBudget(),
                config.statementLimit(), SandboxLimits.DEFAULT_MAX_SOURCE_LENGTH, config.maxAllocatedBytesPerCall(),
                config.maxConcurrentEvaluations(), false));
    }

    @Override
    public Optional<String> syntaxError(String functionBody) {
        return sandbox.validate(functionBody);
    }

    /** Blocking: call it off the event loop. */
    public LegacyEvaluation evaluate(String functionBody, String webhookDataJson, List<String> registrationDataJson) {
        return sandbox.evaluate(functionBody, webhookDataJson, registrationDataJson);
    }

    @PreDestroy
    void close() {
        sandbox.close();
    }
}
