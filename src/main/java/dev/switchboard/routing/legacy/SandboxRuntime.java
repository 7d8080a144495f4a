package dev.switchboard.routing.legacy;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.io.IOAccess;
import org.jboss.logging.Logger;

/**
 * The shared polyglot engine and the one place contexts are configured.
 *
 * <p>Every option here is accepted under {@link SandboxPolicy#CONSTRAINED}; the policy rejects
 * (with an {@code IllegalArgumentException} at build time) every experimental js option,
 * including {@code js.string-length-limit}, {@code js.max-typed-array-length},
 * {@code js.shared-array-buffer}, {@code js.atomics}, {@code js.intl-402},
 * {@code js.polyglot-builtin}, {@code js.java-package-globals} and {@code js.stack-trace-limit}.
 */
final class SandboxRuntime implements AutoCloseable {

    private static final String JS = "js";

    private final Engine engine;
    private final ResourceLimits resourceLimits;

    SandboxRuntime(long statementLimit) {
        this.engine = Engine.newBuilder(JS)
                .sandbox(SandboxPolicy.CONSTRAINED)
                // On a stock JDK Truffle can only interpret; that is expected here, not a warning.
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .logHandler(new ForwardToJBossLogging())
                .build();
        // One instance for all contexts: contexts of a shared engine must agree on limits.
        this.resourceLimits = ResourceLimits.newBuilder()
                .statementLimit(statementLimit, null)
                .build();
    }

    /** A context that runs legacy functions: no eval, no host, no IO, no shell builtins. */
    Context newRuntimeContext() {
        return builder()
                // Function() and eval() would let a body compile code we never validated.
                .option("js.allow-eval", "false")
                .resourceLimits(resourceLimits)
                .build();
    }

    /**
     * A context for validation only: it needs {@code new Function(...)} to parse a body with
     * exactly the function-body grammar, but never runs the parsed body.
     */
    Context newValidationContext() {
        return builder().build();
    }

    private Context.Builder builder() {
        return Context.newBuilder(JS)
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .allowHostAccess(HostAccess.CONSTRAINED)
                // No allowHostClassLookup at all: setting it, even to a deny-all predicate,
                // installs a `Java` global in the guest.
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                // Guest values must never outlive or escape their context.
                .allowValueSharing(false)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .in(InputStream.nullInputStream())
                // Node-like determinism instead of whatever the host is set to.
                .timeZone(ZoneOffset.UTC)
                .option("js.locale", "en-US")
                // Shell conveniences that CONSTRAINED still leaves on by default.
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.console", "false")
                .option("js.graal-builtin", "false");
    }

    @Override
    public void close() {
        engine.close(true);
    }

    /** Truffle/engine log records (not guest output) go to the application log. */
    private static final class ForwardToJBossLogging extends Handler {
        private static final Logger LOG = Logger.getLogger("dev.switchboard.routing.legacy.graal");

        @Override
        public void publish(LogRecord record) {
            Logger.Level level = record.getLevel().intValue() >= Level.WARNING.intValue()
                    ? Logger.Level.WARN
                    : Logger.Level.DEBUG;
            LOG.logf(level, record.getThrown(), "%s: %s", record.getLoggerName(), record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
