package dev.switchboard.routing.legacy;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.jboss.logging.Logger;

/**
 * One runtime context with one legacy function defined in it, callable once per registration.
 *
 * <p>Only strings go in and only a boolean or a short string comes out, so no guest object ever
 * reaches the host (and no host object the guest). Everything that touches guest values, down to
 * turning a thrown value into a message, happens inside the sandbox under the watchdog: a thrown
 * object's {@code toString} or a Proxy trap could otherwise loop on the host's thread.
 */
final class SandboxSession implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SandboxSession.class);
    static final int MAX_MESSAGE_LENGTH = 300;

    /**
     * Captures the builtins it relies on before any guest code runs (the guest can reassign
     * {@code JSON.parse} or {@code String.prototype.slice} later), freezes the global object so a
     * sloppy-mode {@code matched = true} cannot become a global that the next registration reads,
     * and re-parses both inputs per call so a function that mutates its arguments cannot affect
     * the next call.
     */
    private static final Source BOOTSTRAP = Source.newBuilder("js", """
            (function (fn) {
              'use strict';
              const parse = JSON.parse;
              const apply = Reflect.apply;
              const slice = String.prototype.slice;
              const toText = String;
              const ErrorType = Error;
              const MAX = %d;
              const clip = (s) => apply(slice, s, [0, MAX]);
              function describe(e) {
                try {
                  if (e instanceof ErrorType) {
                    return clip(toText(e.name) + ': ' + toText(e.message));
                  }
                  if (e === null || (typeof e !== 'object' && typeof e !== 'function')) {
                    return clip('uncaught ' + typeof e + ': ' + toText(e));
                  }
                  return 'uncaught non-Error object';
                } catch (ignored) {
                  return 'uncaught exception (not printable)';
                }
              }
              Object.freeze(globalThis);
              return function invoke(homeyJson, webhookJson) {
                let result;
                try {
                  result = fn(parse(homeyJson), parse(webhookJson));
                } catch (e) {
                  return describe(e);
                }
                return result === true;
              };
            })
            """.formatted(MAX_MESSAGE_LENGTH), "legacy-function-bootstrap.js").buildLiteral();

    private final Context context;
    private final Watchdog.Guard guard;
    private final Value invoke;
    private boolean dead;

    private SandboxSession(Context context, Watchdog.Guard guard, Value invoke) {
        this.context = context;
        this.guard = guard;
        this.invoke = invoke;
    }

    /**
     * Creates the context and defines the function in it. Defining runs no body code (the body
     * was validated), but it still runs under the watchdog so a slow setup cannot outlast the
     * request budget.
     */
    static SandboxSession open(SandboxRuntime runtime, Watchdog watchdog, Source function, long deadlineNanos) {
        Context context = runtime.newRuntimeContext();
        Watchdog.Guard guard;
        try {
            guard = watchdog.guard(context);
        } catch (RuntimeException e) {
            closeQuietly(context);
            throw new SetupFailed(false, e);
        }
        Watchdog.Window window = guard.begin(deadlineNanos);
        try {
            Value fn = context.eval(function);
            Value invoke = context.eval(BOOTSTRAP).execute(fn);
            if (window.end() != null) {
                throw new SetupFailed(true, null);
            }
            return new SandboxSession(context, guard, invoke);
        } catch (SetupFailed e) {
            shutDown(guard, context);
            throw e;
        } catch (RuntimeException e) {
            boolean killed = window.end() != null;
            shutDown(guard, context);
            throw new SetupFailed(killed, e);
        }
    }

    /** The context could not be prepared; {@code outOfTime} when the watchdog stopped it. */
    static final class SetupFailed extends RuntimeException {
        private final boolean outOfTime;

        SetupFailed(boolean outOfTime, Throwable cause) {
            super(outOfTime ? "legacy function setup ran out of time" : "legacy function setup failed", cause);
            this.outOfTime = outOfTime;
        }

        boolean outOfTime() {
            return outOfTime;
        }
    }

    /** True once the context was killed or hit a limit; open a new session for further calls. */
    boolean dead() {
        return dead;
    }

    /** Runs the function for one registration; never throws for anything the guest does. */
    LegacyOutcome call(String homeyJson, String webhookJson, long deadlineNanos) {
        context.resetLimits();
        Watchdog.Window window = guard.begin(deadlineNanos);
        Value result;
        try {
            result = invoke.execute(homeyJson, webhookJson);
        } catch (PolyglotException e) {
            return failure(e, window.end());
        } catch (RuntimeException e) {
            // E.g. IllegalStateException when the reaper closed the context between two steps.
            dead = true;
            Watchdog.Reason reason = window.end();
            if (reason != null) {
                return fromKill(reason);
            }
            LOG.warnf(e, "legacy function call failed in the host");
            return LegacyOutcome.threw("internal error: " + clip(String.valueOf(e.getMessage())));
        }
        if (window.end() != null) {
            // It finished, but the reaper may already be closing the context under us.
            dead = true;
        }
        // The bootstrap returns a primitive boolean, or a message string if the function threw.
        if (result.isBoolean()) {
            return result.asBoolean() ? LegacyOutcome.MATCHED : LegacyOutcome.NOT_MATCHED;
        }
        return LegacyOutcome.threw(clip(result.asString()));
    }

    private LegacyOutcome failure(PolyglotException e, Watchdog.Reason killedBy) {
        if (killedBy != null) {
            dead = true;
            return fromKill(killedBy);
        }
        if (e.isResourceExhausted()) {
            // A statement-limit hit cancels the context; a host OutOfMemoryError leaves it suspect.
            dead = true;
            return e.isCancelled() ? LegacyOutcome.STATEMENT_LIMIT : LegacyOutcome.ALLOCATION_LIMIT;
        }
        if (e.isCancelled() || e.isExit() || e.isInternalError() || e.isHostException()) {
            dead = true;
            if (e.isInternalError() || e.isHostException()) {
                LOG.warnf(e, "legacy function hit an internal error");
            }
            return LegacyOutcome.threw(clip(String.valueOf(e.getMessage())));
        }
        // A guest error that escaped describe() itself, e.g. a stack overflow while describing.
        return LegacyOutcome.threw(clip(String.valueOf(e.getMessage())));
    }

    static LegacyOutcome fromKill(Watchdog.Reason reason) {
        return reason == Watchdog.Reason.ALLOCATION ? LegacyOutcome.ALLOCATION_LIMIT : LegacyOutcome.TIMED_OUT;
    }

    private static String clip(String s) {
        return s.length() <= MAX_MESSAGE_LENGTH ? s : s.substring(0, MAX_MESSAGE_LENGTH);
    }

    @Override
    public void close() {
        shutDown(guard, context);
    }

    private static void shutDown(Watchdog.Guard guard, Context context) {
        guard.close();
        closeQuietly(context);
    }

    private static void closeQuietly(Context context) {
        try {
            context.close(true);
        } catch (RuntimeException e) {
            // A context the watchdog is already closing, or one that is cancelled: nothing to free.
            LOG.tracef("closing legacy function context: %s", e.toString());
        }
    }
}
