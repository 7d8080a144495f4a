package dev.switchboard.routing.legacy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.graalvm.polyglot.Source;
import org.jboss.logging.Logger;

/**
 * Runs one validated function for every registration of one request, on the calling thread.
 *
 * <p>Contexts are never carried from one run to the next, so nothing a function leaves behind
 * reaches another webhook. Within a run one context is reused until a call has to be killed
 * (timeout, statement or allocation limit), after which the remaining registrations continue in
 * a fresh one.
 */
final class RequestRun {

    private static final Logger LOG = Logger.getLogger(RequestRun.class);

    private final SandboxRuntime runtime;
    private final Watchdog watchdog;
    private final Source function;
    private final long perCallNanos;
    private final long budgetDeadline;
    private final boolean contextPerRegistration;

    RequestRun(SandboxRuntime runtime, Watchdog watchdog, Source function,
            long perCallNanos, long budgetDeadline, boolean contextPerRegistration) {
        this.runtime = runtime;
        this.watchdog = watchdog;
        this.function = function;
        this.perCallNanos = perCallNanos;
        this.budgetDeadline = budgetDeadline;
        this.contextPerRegistration = contextPerRegistration;
    }

    List<LegacyOutcome> run(String webhookJson, List<String> registrations) {
        List<LegacyOutcome> outcomes = new ArrayList<>(registrations.size());
        SandboxSession session = null;
        try {
            for (String homeyJson : registrations) {
                if (System.nanoTime() - budgetDeadline >= 0) {
                    break;
                }
                if (session == null || session.dead() || contextPerRegistration) {
                    if (session != null) {
                        session.close();
                        session = null;
                    }
                    try {
                        session = SandboxSession.open(runtime, watchdog, function, budgetDeadline);
                    } catch (SandboxSession.SetupFailed e) {
                        if (e.outOfTime()) {
                            break;
                        }
                        // Not the guest's doing (the body was validated): report it loudly and stop.
                        LOG.errorf(e.getCause(), "could not prepare a legacy function context");
                        fill(outcomes, registrations.size(),
                                LegacyOutcome.threw("sandbox setup failed: " + e.getCause()));
                        return outcomes;
                    }
                }
                long now = System.nanoTime();
                long callDeadline = earlier(now + perCallNanos, budgetDeadline);
                outcomes.add(session.call(homeyJson, webhookJson, callDeadline));
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
        fill(outcomes, registrations.size(), LegacyOutcome.SKIPPED_BUDGET_EXHAUSTED);
        return outcomes;
    }

    private static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }

    static void fill(List<LegacyOutcome> outcomes, int size, LegacyOutcome with) {
        outcomes.addAll(Collections.nCopies(size - outcomes.size(), with));
    }
}
