package dev.mcpgw.core.testing;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves one of our threads running: a runtime, probe, index, gateway applier or Jetty
 * server that was not closed, or whose {@code close()} returned before its threads ended. Those threads later
 * write into a test's deleted folder or hold its ports, and make another test fail for no reason of its own.
 *
 * <p>Registered for every test class of the modules using core's test jar (service file, with JUnit's
 * extension autodetection switched on in the parent pom). Threads that were running before the class started
 * (another class's shared fixture) are not counted; a thread gets a few seconds to finish after the class's own
 * {@code @AfterAll}.
 */
public final class ThreadLeakGuard implements BeforeAllCallback, AfterAllCallback {

    /** Names of the threads we start (DaemonThreads.named, the runtime's Jetty pool) and Jetty's default pools. */
    private static final List<String> OURS = List.of("mcpgw-", "qtp");

    private static final Duration GRACE = Duration.ofSeconds(10);

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ThreadLeakGuard.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE)
                .put("before", ours().stream().map(Thread::getId).collect(Collectors.toSet()));
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Set<Long> before = context.getStore(NAMESPACE).get("before", Set.class);
        long deadline = System.nanoTime() + GRACE.toNanos();
        List<Thread> left;
        do {
            left = ours().stream()
                    .filter(thread -> !before.contains(thread.getId()))
                    .toList();
            for (Thread thread : left) {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        } while (!left.isEmpty() && left.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline);
        List<Thread> alive = left.stream().filter(Thread::isAlive).toList();
        if (!alive.isEmpty()) {
            fail(alive.size() + " thread(s) started by " + context.getDisplayName() + " still run "
                    + GRACE.toSeconds() + " s after it ended - close what started them:\n"
                    + alive.stream().map(ThreadLeakGuard::describe).collect(Collectors.joining("\n")));
        }
    }

    private static List<Thread> ours() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread ->
                        OURS.stream().anyMatch(prefix -> thread.getName().startsWith(prefix)))
                .toList();
    }

    private static String describe(Thread thread) {
        return "  " + thread.getName() + " (" + thread.getState() + ") at "
                + Arrays.stream(thread.getStackTrace())
                        .limit(6)
                        .map(String::valueOf)
                        .collect(Collectors.joining(" < "));
    }
}
