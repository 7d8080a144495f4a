package dev.switchboard.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Runs the Node and Python clients' own test suites against this app: real HTTP, real sockets, the embedded
 * PostgreSQL. Each suite gets the app's URL and bearer tokens (a developer, a second developer and an admin) and
 * creates the webhooks it needs through the management API, as an app developer's script would.
 */
@QuarkusTest
class ClientLibrariesTest {

    static final Path NODE_CLIENT = Path.of("src/clients/node");
    static final Path PYTHON_CLIENT = Path.of("src/clients/python");
    static final Path EXAMPLES = Path.of("src/clients/examples");

    @TestHTTPResource("/")
    URL base;

    @Test
    void nodeClientSuite() throws Exception {
        if (!Files.isDirectory(NODE_CLIENT.resolve("node_modules"))) {
            run(NODE_CLIENT, List.of("npm", "ci", "--no-audit", "--no-fund"));
        }
        run(NODE_CLIENT, List.of("npm", "test"));
    }

    @Test
    void pythonClientSuite() throws Exception {
        run(PYTHON_CLIENT, List.of(python(), "-m", "unittest", "discover", "-s", "tests", "-v"));
    }

    /** Debian's python3 carries python3-websockets; another python3 first on the PATH may not. */
    static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /**
     * Runs {@code command} and copies its output, line by line, to this test's output (a child writing to the
     * inherited streams would corrupt Surefire's channel and its output would be lost).
     */
    void run(Path directory, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment());
        Process process = builder.start();
        Thread copy = new Thread(() -> {
            try (BufferedReader output = process.inputReader(StandardCharsets.UTF_8)) {
                output.lines().forEach(System.out::println);
            } catch (IOException e) {
                System.out.println("(output lost: " + e + ")");
            }
        });
        copy.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 10 minutes");
        }
        copy.join();
        assertEquals(0, process.exitValue(), String.join(" ", command) + " in " + directory + " failed (output above)");
    }

    Map<String, String> environment() {
        String url = base.toString().replaceAll("/$", "");
        return Map.of(
                "SWITCHBOARD_URL", url,
                "SWITCHBOARD_TEST_TOKEN", Tokens.bearer("client-dev"),
                "SWITCHBOARD_TEST_OTHER_TOKEN", Tokens.bearer("client-other"),
                "SWITCHBOARD_TEST_ADMIN_TOKEN",
                Tokens.bearer("client-admin", "user", "admin"),
                "SWITCHBOARD_EXAMPLES", EXAMPLES.toAbsolutePath().toString());
    }
}
