package dev.mcpgw.bench;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.mcpgw.discovery.Embedder;
import dev.mcpgw.discovery.SearchHit;
import dev.mcpgw.discovery.SearchQuery;
import dev.mcpgw.discovery.ToolDocument;
import dev.mcpgw.discovery.ToolIndex;
import dev.mcpgw.discovery.Tuning;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tool discovery measured: quality on the labelled evaluation set in {@code bench/src/main/resources/eval}
 * (Recall@1, Recall@5, MRR@10 for each way of ranking), then speed and memory over 10,000 tools, for the full
 * and the quantized MiniLM.
 *
 * <p>Recall@k is the share of queries with at least one relevant tool among the first k results (a query's
 * "relevant" list names every tool that would do); MRR@10 is the mean of 1/rank of the first relevant result
 * within ten (0 when there is none).
 */
final class DiscoveryBench {

    private static final JsonMapper JSON = JsonMapper.shared();

    record Labelled(String query, Set<String> relevant, String kind) {}

    record Quality(double recall1, double recall5, double mrr10) {}

    private DiscoveryBench() {}

    static void run(boolean quality, boolean speed, boolean bothModels) throws Exception {
        Map<String, List<ToolDocument>> catalogue = catalogue();
        Embedder quantized = Embedder.quantizedMiniLm();
        Embedder full = new Embedder(new AllMiniLmL6V2EmbeddingModel(), "all-MiniLM-L6-v2");
        if (quality) {
            quality(catalogue, quantized, full, bothModels);
        }
        if (speed) {
            for (Embedder model : List.of(quantized, full)) {
                speed(model, catalogue);
            }
        }
    }

    private static void quality(
            Map<String, List<ToolDocument>> catalogue, Embedder quantized, Embedder full, boolean bothModels)
            throws IOException {
        List<Labelled> queries = queries();
        int toolCount = catalogue.values().stream().mapToInt(List::size).sum();
        System.out.printf(
                "evaluation set: %d servers, %d tools, %d queries%n", catalogue.size(), toolCount, queries.size());
        Map<String, Tuning> ways = new LinkedHashMap<>();
        ways.put("lexical only (BM25)", Tuning.lexicalOnly());
        ways.put(
                "semantic only, tool name + description (the reference's way)",
                Knobs.reference().tuning());
        ways.put(
                "semantic only, + parameters",
                Knobs.reference().withEmbedParams(true).tuning());
        ways.put(
                "semantic only, + parameters + need without framing",
                Knobs.reference().withEmbedParams(true).withCleanQuery(true).tuning());
        ways.put(
                "semantic only, + parameters + framing + server similarity 0.3",
                Knobs.reference()
                        .withEmbedParams(true)
                        .withCleanQuery(true)
                        .withServerWeight(0.3)
                        .tuning());
        Knobs hybrid = Knobs.of(Tuning.DEFAULT)
                .withDescriptionWeight(0)
                .withActionWeight(0)
                .withRawQueryWeight(0);
        for (double server : new double[] {0.3, 0.5}) {
            for (double weight : new double[] {0.05, 0.1, 0.2}) {
                ways.put(
                        "hybrid: server " + server + ", BM25 " + weight,
                        hybrid.withServerWeight(server)
                                .withLexical(true, weight)
                                .tuning());
            }
        }
        ways.put("hybrid + action verbs 0.02", hybrid.withActionWeight(0.02).tuning());
        Knobs views = hybrid.withActionWeight(Tuning.DEFAULT.actionWeight());
        for (double description : new double[] {0.3, 0.5, 0.7}) {
            ways.put(
                    "hybrid + action verbs + first sentence " + description,
                    views.withDescriptionWeight(description).tuning());
        }
        for (double raw : new double[] {0.2, 0.3, 0.5}) {
            ways.put(
                    "... + first sentence 0.4 + request as written " + raw,
                    views.withDescriptionWeight(0.4).withRawQueryWeight(raw).tuning());
        }
        ways.put("the default (" + Tuning.DEFAULT + ")", Tuning.DEFAULT);
        System.out.println("| ranking | model | Recall@1 | Recall@5 | MRR@10 |");
        System.out.println("|---|---|---|---|---|");
        for (Map.Entry<String, Tuning> way : ways.entrySet()) {
            boolean lexicalOnly = !way.getValue().semantic();
            for (Embedder model :
                    lexicalOnly ? List.of(quantized) : bothModels ? List.of(quantized, full) : List.of(quantized)) {
                Quality quality =
                        evaluate(new ToolIndex(lexicalOnly ? null : model, way.getValue(), null), catalogue, queries);
                System.out.printf(
                        "| %s | %s | %.3f | %.3f | %.3f |%n",
                        way.getKey(),
                        lexicalOnly ? "-" : model.name(),
                        quality.recall1(),
                        quality.recall5(),
                        quality.mrr10());
            }
        }
    }

    static Quality evaluate(ToolIndex index, Map<String, List<ToolDocument>> catalogue, List<Labelled> queries) {
        try (index) {
            index.updateAll(catalogue);
            double hits1 = 0;
            double hits5 = 0;
            double reciprocal = 0;
            for (Labelled labelled : queries) {
                List<SearchHit> hits = index.search(SearchQuery.of(labelled.query(), 10));
                for (int rank = 0; rank < hits.size(); rank++) {
                    if (labelled.relevant().contains(hits.get(rank).tool().key())) {
                        hits1 += rank == 0 ? 1 : 0;
                        hits5 += rank < 5 ? 1 : 0;
                        reciprocal += 1.0 / (rank + 1);
                        break;
                    }
                }
            }
            int n = queries.size();
            return new Quality(hits1 / n, hits5 / n, reciprocal / n);
        }
    }

    /** 10,000 tools: the catalogue repeated under other server ids, as near-duplicates a big registry has. */
    private static void speed(Embedder model, Map<String, List<ToolDocument>> catalogue) {
        speed(model, Tuning.DEFAULT, catalogue);
    }

    static void speed(Embedder model, Tuning tuning, Map<String, List<ToolDocument>> catalogue) {
        Map<String, List<ToolDocument>> big = new LinkedHashMap<>();
        int count = 0;
        for (int copy = 0; count < 10_000; copy++) {
            for (Map.Entry<String, List<ToolDocument>> server : catalogue.entrySet()) {
                String id = server.getKey() + "-" + copy;
                List<ToolDocument> tools = new ArrayList<>();
                for (ToolDocument tool : server.getValue()) {
                    if (count++ >= 10_000) {
                        break;
                    }
                    tools.add(new ToolDocument(
                            id,
                            tool.serverName() + " " + copy,
                            tool.serverDescription(),
                            tool.tags(),
                            tool.toolName(),
                            tool.toolDescription(),
                            tool.inputSchema()));
                }
                if (!tools.isEmpty()) {
                    big.put(id, tools);
                }
            }
        }
        System.gc();
        long heapBefore = usedHeap();
        long start = System.nanoTime();
        try (ToolIndex index = new ToolIndex(model, tuning, null)) {
            index.updateAll(big);
            double buildSeconds = (System.nanoTime() - start) / 1e9;
            System.gc();
            long heap = usedHeap() - heapBefore;
            List<String> probes = List.of(
                    "do I have tools to get stock information?",
                    "send a message to the team channel",
                    "create a jira ticket",
                    "what's the weather in Paris tomorrow",
                    "convert 10 miles to km",
                    "find failing builds",
                    "translate this to German",
                    "book a flight to Tokyo");
            for (int warm = 0; warm < 200; warm++) {
                index.search(SearchQuery.of(probes.get(warm % probes.size()), 5));
            }
            double[] latencies = new double[400];
            for (int i = 0; i < latencies.length; i++) {
                long t = System.nanoTime();
                index.search(SearchQuery.of(probes.get(i % probes.size()), 5));
                latencies[i] = (System.nanoTime() - t) / 1e6;
            }
            Stats stats = Stats.of(latencies);
            System.out.printf(
                    "%s over %d tools: index build %.1f s; query (embedding included) p50 %.2f ms, "
                            + "p99 %.2f ms; index heap %d MiB%n",
                    model.name(),
                    index.size(),
                    buildSeconds,
                    stats.median(),
                    stats.percentile(99),
                    heap / (1024 * 1024));
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    static Map<String, List<ToolDocument>> catalogue() throws IOException {
        return catalogue("eval");
    }

    /** The tools of evaluation set {@code set} (a resource folder: eval, eval-real/tune, eval-real/heldout). */
    static Map<String, List<ToolDocument>> catalogue(String set) throws IOException {
        JsonNode root = read(set + "/tools.json");
        Map<String, List<ToolDocument>> catalogue = new LinkedHashMap<>();
        for (JsonNode server : root.path("servers")) {
            List<String> tags = new ArrayList<>();
            server.path("tags").forEach(tag -> tags.add(tag.asString()));
            List<ToolDocument> tools = new ArrayList<>();
            for (JsonNode tool : server.path("tools")) {
                tools.add(new ToolDocument(
                        server.path("id").asString(),
                        server.path("name").asString(),
                        server.path("description").asString(),
                        tags,
                        tool.path("name").asString(),
                        tool.path("description").asString(),
                        tool.path("input_schema")));
            }
            catalogue.put(server.path("id").asString(), tools);
        }
        return catalogue;
    }

    static List<Labelled> queries() throws IOException {
        return queries("eval");
    }

    static List<Labelled> queries(String set) throws IOException {
        List<Labelled> queries = new ArrayList<>();
        for (JsonNode item : read(set + "/queries.json")) {
            Set<String> relevant = new TreeSet<>();
            item.path("relevant").forEach(key -> relevant.add(key.asString()));
            queries.add(new Labelled(
                    item.path("query").asString(), relevant, item.path("kind").asString()));
        }
        return queries;
    }

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = DiscoveryBench.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from bench's resources");
            }
            return JSON.readTree(in);
        }
    }
}
