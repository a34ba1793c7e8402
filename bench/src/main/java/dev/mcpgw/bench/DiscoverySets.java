package dev.mcpgw.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.mcpgw.discovery.Embedder;
import dev.mcpgw.discovery.ToolDocument;
import dev.mcpgw.discovery.ToolIndex;
import dev.mcpgw.discovery.Tuning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rankings compared on the evaluation sets: our own ({@code eval}) and the one of real servers' tools we did not
 * write ({@code eval-real}), split into the half the ranking may be tuned on ({@code tune}) and the half it is
 * judged on ({@code heldout}). {@code java -jar bench/target/bench.jar discovery sets [set,...] [grid|chosen]}.
 */
final class DiscoverySets {

    private DiscoverySets() {}

    /** A model whose answers are kept, so a grid of rankings embeds each text once. */
    private record Cached(EmbeddingModel model, Map<String, Embedding> seen) implements EmbeddingModel {
        Cached(EmbeddingModel model) {
            this(model, new ConcurrentHashMap<>());
        }

        @Override
        public Response<Embedding> embed(String text) {
            return Response.from(seen.computeIfAbsent(text, t -> model.embed(t).content()));
        }

        @Override
        public Response<Embedding> embed(TextSegment segment) {
            return embed(segment.text());
        }

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            List<TextSegment> missing = segments.stream()
                    .filter(segment -> !seen.containsKey(segment.text()))
                    .distinct()
                    .toList();
            if (!missing.isEmpty()) {
                List<Embedding> fresh = model.embedAll(missing).content();
                for (int i = 0; i < missing.size(); i++) {
                    seen.put(missing.get(i).text(), fresh.get(i));
                }
            }
            return Response.from(
                    segments.stream().map(segment -> seen.get(segment.text())).toList());
        }
    }

    /**
     * Every model and ensemble the bench compares, by name. With {@code cached}, each text is embedded once (for
     * quality grids); without, every call reaches the model (for timing).
     */
    static Map<String, Embedder> embedders(boolean cached) {
        java.util.function.UnaryOperator<EmbeddingModel> keep = model -> cached ? new Cached(model) : model;
        EmbeddingModel minilm = keep.apply(Embedder.loaded(AllMiniLmL6V2QuantizedEmbeddingModel::new));
        EmbeddingModel bge = keep.apply(Embedder.loaded(BgeSmallEnV15QuantizedEmbeddingModel::new));
        EmbeddingModel e5 = keep.apply(Embedder.loaded(E5SmallV2QuantizedEmbeddingModel::new));
        EmbeddingModel minilm32 = keep.apply(Embedder.loaded(AllMiniLmL6V2EmbeddingModel::new));
        EmbeddingModel bge32 = keep.apply(Embedder.loaded(BgeSmallEnV15EmbeddingModel::new));
        Embedder.Part minilm32Part = new Embedder.Part(minilm32, "", "", 1);
        Embedder.Part bge32Part = new Embedder.Part(bge32, Embedder.BGE_QUERY_INSTRUCTION, "", 1);
        Embedder.Part minilmPart = new Embedder.Part(minilm, "", "", 1);
        Embedder.Part bgePart = new Embedder.Part(bge, Embedder.BGE_QUERY_INSTRUCTION, "", 1);
        Embedder.Part e5Part = new Embedder.Part(e5, "query: ", "passage: ", 1);
        Map<String, Embedder> all = new LinkedHashMap<>();
        all.put("minilm", new Embedder(List.of(minilmPart), "MiniLM-L6-q"));
        all.put("bge", new Embedder(List.of(bgePart), "bge-small-q"));
        all.put("e5", new Embedder(List.of(e5Part), "e5-small-q"));
        all.put("bge+e5", new Embedder(List.of(bgePart, e5Part), "bge-small-q + e5-small-q"));
        all.put("minilm32", new Embedder(List.of(minilm32Part), "MiniLM-L6"));
        all.put("bge32", new Embedder(List.of(bge32Part), "bge-small"));
        all.put("minilm32+bge32", new Embedder(List.of(minilm32Part, bge32Part), "MiniLM-L6 + bge-small"));
        all.put("minilm+bge32", new Embedder(List.of(minilmPart, bge32Part), "MiniLM-L6-q + bge-small"));
        all.put("minilm32+bge", new Embedder(List.of(minilm32Part, bgePart), "MiniLM-L6 + bge-small-q"));
        all.put("minilm+bge", new Embedder(List.of(minilmPart, bgePart), "MiniLM-L6-q + bge-small-q"));
        all.put("minilm+e5", new Embedder(List.of(minilmPart, e5Part), "MiniLM-L6-q + e5-small-q"));
        all.put(
                "minilm+2bge",
                new Embedder(
                        List.of(minilmPart, new Embedder.Part(bge, Embedder.BGE_QUERY_INSTRUCTION, "", 2)),
                        "MiniLM + 2 x bge"));
        all.put(
                "2minilm+bge",
                new Embedder(List.of(new Embedder.Part(minilm, "", "", 2), bgePart), "2 x MiniLM + bge"));
        all.put(
                "minilm+bge+e5",
                new Embedder(List.of(minilmPart, bgePart, e5Part), "MiniLM-L6-q + bge-small-q + e5-small-q"));
        return all;
    }

    /**
     * The shipped ranking's misses on {@code set}: Recall@1 by kind of query, and each query whose first answer is
     * not one that would do, with the first three answers and where the first that would do came.
     */
    static void misses(String set) throws Exception {
        Map<String, List<ToolDocument>> catalogue = DiscoveryBench.catalogue(set);
        List<DiscoveryBench.Labelled> queries = DiscoveryBench.queries(set);
        Map<String, int[]> byKind = new java.util.TreeMap<>();
        try (ToolIndex index = new ToolIndex(embedders(false).get("minilm+bge"), Tuning.DEFAULT, null)) {
            index.updateAll(catalogue);
            for (DiscoveryBench.Labelled labelled : queries) {
                List<dev.mcpgw.discovery.SearchHit> hits =
                        index.search(dev.mcpgw.discovery.SearchQuery.of(labelled.query(), 10));
                int rank = -1;
                for (int r = 0; r < hits.size() && rank < 0; r++) {
                    rank = labelled.relevant().contains(hits.get(r).tool().key()) ? r : -1;
                }
                int[] counts = byKind.computeIfAbsent(labelled.kind(), kind -> new int[2]);
                counts[1]++;
                if (rank == 0) {
                    counts[0]++;
                    continue;
                }
                System.out.printf(
                        "%n[%s] %s  -> rank %s; want %s%n",
                        labelled.kind(),
                        labelled.query(),
                        rank < 0 ? ">10" : String.valueOf(rank + 1),
                        labelled.relevant());
                for (int r = 0; r < Math.min(3, hits.size()); r++) {
                    dev.mcpgw.discovery.SearchHit hit = hits.get(r);
                    System.out.printf(
                            "   %d. %s  %.3f (lex %.2f sem %.3f)%n",
                            r + 1, hit.tool().key(), hit.score(), hit.lexical(), hit.semantic());
                }
            }
        }
        byKind.forEach((kind, counts) -> System.out.printf("%s: %d / %d%n", kind, counts[0], counts[1]));
    }

    static void run(List<String> sets, String what) throws Exception {
        Map<String, Embedder> embedders = embedders(true);
        Map<String, Map.Entry<String, Tuning>> ways = new LinkedHashMap<>();
        ways.put(
                "reference: MiniLM, name + description",
                Map.entry("minilm", Knobs.reference().tuning()));
        ways.put(
                "dense MiniLM, server name in the text",
                Map.entry("minilm", Knobs.reference().withServerInText(true).tuning()));
        ways.put("shipped: MiniLM + bge, Tuning.DEFAULT", Map.entry("minilm+bge", Tuning.DEFAULT));
        ways.put("Tuning.DEFAULT with MiniLM alone", Map.entry("minilm", Tuning.DEFAULT));
        ways.put("Tuning.DEFAULT with three models (+ e5)", Map.entry("minilm+bge+e5", Tuning.DEFAULT));
        if (what.equals("fp32")) {
            for (String model : List.of("minilm32", "bge", "bge32", "minilm32+bge32", "minilm+bge32", "minilm32+bge")) {
                ways.put(model + ": default", Map.entry(model, Tuning.DEFAULT));
            }
        }
        if (what.equals("more")) {
            Knobs base = Knobs.of(Tuning.DEFAULT);
            for (String model : List.of("minilm+bge", "minilm+2bge", "2minilm+bge")) {
                ways.put(model + ": default", Map.entry(model, Tuning.DEFAULT));
                ways.put(
                        model + ": + first sentence 0.3",
                        Map.entry(model, base.withDescriptionWeight(0.3).tuning()));
                ways.put(
                        model + ": + request as written 0.3",
                        Map.entry(model, base.withRawQueryWeight(0.3).tuning()));
                ways.put(
                        model + ": BM25 1.0 sd",
                        Map.entry(model, base.withLexical(true, 1.0).tuning()));
                ways.put(
                        model + ": action 0.2 sd",
                        Map.entry(model, base.withActionWeight(0.2).tuning()));
            }
        }
        if (what.equals("combo")) {
            Knobs dense = Knobs.reference().withServerInText(true).withCleanQuery(true);
            for (String model : List.of("minilm+bge", "minilm+bge+e5")) {
                ways.put(model + ": dense, server in text, no framing", Map.entry(model, dense.tuning()));
                for (double lexical : new double[] {0.25, 0.5}) {
                    for (double first : new double[] {0, 0.3}) {
                        for (double action : new double[] {0, 0.1}) {
                            ways.put(
                                    model + ": + BM25 " + lexical + " sd, first sentence " + first + ", action "
                                            + action + " sd",
                                    Map.entry(
                                            model,
                                            dense.withLexical(true, lexical)
                                                    .withDescriptionWeight(first)
                                                    .withActionWeight(action)
                                                    .tuning()));
                        }
                    }
                }
            }
        }
        if (what.equals("grid")) {
            Knobs dense = Knobs.reference().withServerInText(true);
            for (String model : List.of("minilm", "bge", "minilm+bge", "minilm+bge+e5")) {
                ways.put(model + ": dense, server in text", Map.entry(model, dense.tuning()));
                ways.put(
                        model + ": + params",
                        Map.entry(model, dense.withEmbedParams(true).tuning()));
                ways.put(
                        model + ": + need without framing",
                        Map.entry(model, dense.withCleanQuery(true).tuning()));
                for (double lexical : new double[] {0.25, 0.5, 1.0}) {
                    ways.put(
                            model + ": + BM25 " + lexical + " sd",
                            Map.entry(model, dense.withLexical(true, lexical).tuning()));
                }
                for (double action : new double[] {0.1, 0.3}) {
                    ways.put(
                            model + ": + action " + action + " sd",
                            Map.entry(model, dense.withActionWeight(action).tuning()));
                }
                ways.put(
                        model + ": + first sentence 0.3",
                        Map.entry(model, dense.withDescriptionWeight(0.3).tuning()));
                ways.put(
                        model + ": + server 0.3",
                        Map.entry(model, dense.withServerWeight(0.3).tuning()));
            }
        }
        System.out.println("| set | ranking | Recall@1 | Recall@5 | MRR@10 |");
        System.out.println("|---|---|---|---|---|");
        for (String set : sets) {
            Map<String, List<ToolDocument>> catalogue = DiscoveryBench.catalogue(set);
            List<DiscoveryBench.Labelled> queries = DiscoveryBench.queries(set);
            for (Map.Entry<String, Map.Entry<String, Tuning>> way : ways.entrySet()) {
                DiscoveryBench.Quality q = DiscoveryBench.evaluate(
                        new ToolIndex(
                                embedders.get(way.getValue().getKey()),
                                way.getValue().getValue(),
                                null),
                        catalogue,
                        queries);
                System.out.printf(
                        "| %s | %s | %.3f | %.3f | %.3f |%n", set, way.getKey(), q.recall1(), q.recall5(), q.mrr10());
            }
        }
    }

    /**
     * Query latency over 10,000 tools, embedding included, and the index's build time and heap, for each model: the
     * 10,000 are the real tools repeated under other server names. Nothing is cached.
     */
    static void speed(List<String> models) throws Exception {
        Map<String, Embedder> fresh = embedders(false);
        Map<String, List<ToolDocument>> catalogue = DiscoveryBench.catalogue("eval-real/tune");
        catalogue.putAll(DiscoveryBench.catalogue("eval-real/heldout"));
        for (String model : models) {
            DiscoveryBench.speed(fresh.get(model), Tuning.DEFAULT, catalogue);
        }
    }

    static List<String> sets(String arg) {
        List<String> sets = new ArrayList<>();
        for (String name : arg.split(",")) {
            sets.add(
                    switch (name) {
                        case "tune", "heldout" -> "eval-real/" + name;
                        default -> name;
                    });
        }
        return sets;
    }
}
