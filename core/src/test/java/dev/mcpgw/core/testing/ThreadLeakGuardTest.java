package dev.mcpgw.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.mcpgw.core.concurrent.DaemonThreads;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class ThreadLeakGuardTest {

    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    @Test
    void aTestClassThatLeavesOneOfOurThreadsRunningFailsNamingIt() {
        try {
            Events classes = run(Leaky.class);
            assertThat(classes.failed().count()).isEqualTo(1);
            assertThat(classes.failed().stream()
                            .findFirst()
                            .orElseThrow()
                            .getPayload(org.junit.platform.engine.TestExecutionResult.class)
                            .orElseThrow()
                            .getThrowable()
                            .orElseThrow())
                    .hasMessageContaining("mcpgw-leaky")
                    .hasMessageContaining("close what started them");
        } finally {
            RELEASE.countDown();
        }
    }

    @Test
    void aTestClassThatClosesWhatItStartedPasses() {
        assertThat(run(Tidy.class).failed().count()).isZero();
    }

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(testClass))
                .execute()
                .containerEvents();
    }

    static class Leaky {
        @Test
        void startsAThreadAndForgetsIt() {
            DaemonThreads.named("mcpgw-leaky")
                    .newThread(() -> {
                        try {
                            RELEASE.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    })
                    .start();
        }
    }

    static class Tidy {
        private static ExecutorService pool;

        @Test
        void startsAPool() {
            pool = Executors.newSingleThreadExecutor(DaemonThreads.named("mcpgw-tidy"));
            pool.submit(() -> {});
        }

        @AfterAll
        static void closeIt() throws InterruptedException {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
