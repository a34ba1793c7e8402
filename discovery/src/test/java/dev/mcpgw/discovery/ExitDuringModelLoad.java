package dev.mcpgw.discovery;

/**
 * A JVM set up as the CLI sets itself up ({@link Embedder#exitOnSignals()}) that loads the embedding model on a
 * daemon thread and keeps searching, as the runtime's search index does, until a signal ends it - what a SIGTERM
 * to {@code mcpgw up} while it starts amounts to.
 */
public final class ExitDuringModelLoad {

    private ExitDuringModelLoad() {}

    public static void main(String[] args) throws Exception {
        Embedder.exitOnSignals();
        Thread loader = new Thread(
                () -> {
                    ToolIndex index = ToolIndex.withDefaultModel(Tuning.DEFAULT);
                    index.update(
                            "time",
                            java.util.List.of(new ToolDocument(
                                    "time",
                                    "Time",
                                    "Tells the time.",
                                    java.util.List.of(),
                                    "current_time",
                                    "Get the current time in a time zone.",
                                    null)));
                    while (true) {
                        index.search(new SearchQuery("time in Paris", 3, java.util.Set.of(), java.util.Set.of()));
                    }
                },
                "model-loader");
        loader.setDaemon(true);
        loader.start();
        System.out.println("started");
        Thread.sleep(Long.MAX_VALUE);
    }
}
