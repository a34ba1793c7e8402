package dev.mcpgw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A Linux cgroup with a CPU quota, for putting the load (MCP clients and upstream, this JVM) on a fixed CPU
 * budget while the gateway's processes stay outside it, as when the gateway runs on machines of its own. Works
 * with the cgroup v2 {@code cpu} controller ({@code cpu.max}) or the v1 {@code cpu} hierarchy
 * ({@code cpu.cfs_quota_us}); needs root.
 */
final class CpuBudget implements AutoCloseable {

    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private static final long PERIOD_MICROS = 10_000;

    /** The budget cannot be set up or taken down here; the message says why. */
    static final class Unavailable extends IOException {
        Unavailable(String message) {
            super(message);
        }
    }

    private final Path group;
    private final Path parent;

    private CpuBudget(Path group, Path parent) {
        this.group = group;
        this.parent = parent;
    }

    /** Creates the cgroup {@code name} limited to {@code cpus} CPUs (e.g. 1.5), or says why it cannot. */
    static CpuBudget create(String name, double cpus) throws IOException {
        long quota = Math.round(cpus * PERIOD_MICROS);
        Path v1 = CGROUP_ROOT.resolve("cpu");
        Path v2Controllers = CGROUP_ROOT.resolve("cgroup.controllers");
        if (Files.isRegularFile(v1.resolve("cpu.cfs_quota_us"))) {
            CpuBudget budget = new CpuBudget(makeGroup(v1.resolve(name)), v1);
            write(budget.group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_MICROS));
            write(budget.group.resolve("cpu.cfs_quota_us"), Long.toString(quota));
            return budget;
        }
        if (Files.isRegularFile(v2Controllers)
                && Files.readString(v2Controllers).contains("cpu")) {
            write(CGROUP_ROOT.resolve("cgroup.subtree_control"), "+cpu");
            CpuBudget budget = new CpuBudget(makeGroup(CGROUP_ROOT.resolve(name)), CGROUP_ROOT);
            write(budget.group.resolve("cpu.max"), quota + " " + PERIOD_MICROS);
            return budget;
        }
        throw new Unavailable("no cgroup cpu controller under " + CGROUP_ROOT + " (needs cgroup v2 with the cpu "
                + "controller, or the v1 cpu hierarchy); run the shared arrangement instead");
    }

    /** Moves a whole process (all its threads) into the budget; processes it starts later stay in it too. */
    void confine(ProcessHandle process) throws IOException {
        write(group.resolve("cgroup.procs"), Long.toString(process.pid()));
    }

    /** How often the budget throttled its processes, from the cgroup's own counters. */
    String throttling() throws IOException {
        return Files.readAllLines(group.resolve("cpu.stat")).stream()
                .filter(line -> line.startsWith("nr_periods") || line.startsWith("nr_throttled"))
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
    }

    /** Moves every process back to the parent group and removes the budget. */
    @Override
    public void close() throws IOException {
        for (String pid : Files.readAllLines(group.resolve("cgroup.procs"))) {
            if (!pid.isBlank()) {
                write(parent.resolve("cgroup.procs"), pid.strip());
            }
        }
        Files.delete(group);
    }

    private static Path makeGroup(Path group) throws IOException {
        try {
            return Files.createDirectories(group);
        } catch (IOException e) {
            throw new Unavailable("cannot create the cgroup " + group + " (" + reason(e) + "); the isolated "
                    + "arrangement needs root");
        }
    }

    private static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new Unavailable(String.format(
                    Locale.ROOT,
                    "cannot write %s to %s (%s); the isolated arrangement " + "needs root",
                    value,
                    file,
                    reason(e)));
        }
    }

    /** An access refusal's message is only the path, which the callers already name. */
    private static String reason(IOException e) {
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
    }
}
