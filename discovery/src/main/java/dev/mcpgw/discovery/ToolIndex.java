package dev.mcpgw.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * Every tool of every enabled server, searchable by need: BM25 over the tool's name (as words), description,
 * parameters and its server's name, description and tags (Lucene, in memory), and the cosine similarity of
 * sentence embeddings ({@link Embedder#shipped()}), combined as {@link Tuning} says. Updated per server: only changed tools are
 * embedded again. Without a model (none given, or it failed to load) it searches lexically and says so.
 */
public final class ToolIndex implements AutoCloseable {

    private static final Map<String, Float> FIELD_BOOSTS =
            Map.of("name", 2.0f, "description", 1.0f, "params", 0.4f, "server", 0.6f);
    private static final int CANDIDATES = 100;

    private final Analyzer analyzer = new EnglishAnalyzer();
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Embedder embedder;
    private final Tuning tuning;
    private final String degradedBecause;
    /** Why the model stopped working while in use (an error of its native code), or null: then search is lexical. */
    private volatile String failedBecause;

    private final Map<String, Indexed> tools = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> keysByServer = new ConcurrentHashMap<>();
    private volatile Vectors vectorSnapshot;

    private record Indexed(ToolDocument tool, String embeddedText, float[] vector, float[] descriptionVector) {}

    /** A server's own text and its embedding, shared by its tools. */
    private record ServerVector(String text, float[] vector) {}

    private final Map<String, ServerVector> serverVectors = new ConcurrentHashMap<>();

    /**
     * @param embedder        the model, or null to search lexically
     * @param degradedBecause why there is no model (shown by {@link #status()}), or null
     */
    public ToolIndex(Embedder embedder, Tuning tuning, String degradedBecause) {
        this.embedder = embedder;
        this.tuning = embedder == null ? Tuning.lexicalOnly() : tuning;
        this.degradedBecause = degradedBecause;
        try {
            this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer));
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory index cannot fail to open", e);
        }
    }

    /** Loads the shipped model; when it cannot load, an index that searches lexically and says why. */
    public static ToolIndex withDefaultModel(Tuning tuning) {
        try {
            return new ToolIndex(Embedder.shipped(), tuning, null);
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            return new ToolIndex(null, tuning, "the embedding model did not load (" + e + "); searching by words only");
        }
    }

    /** Whether rankings use the model: there is one, the tuning asks for it, and it has not failed. */
    private boolean semanticOn() {
        return embedder != null && tuning.semantic() && failedBecause == null;
    }

    /**
     * The model failed while in use: from now on search is lexical, and {@link #status()} says why (the
     * runtime's /health and search answers show it). Never thrown on: a search still answers.
     */
    private void modelFailed(Throwable e) {
        if (failedBecause == null) {
            failedBecause = "the embedding model failed (" + e + "); searching by words only";
        }
    }

    /** "hybrid (model)" or "lexical only: why". */
    public String status() {
        String failed = failedBecause;
        if (failed != null) {
            return "lexical only: " + failed;
        }
        return embedder == null
                ? "lexical only: " + (degradedBecause == null ? "no embedding model" : degradedBecause)
                : (tuning.lexical() && tuning.semantic() ? "hybrid: BM25 and " : "") + embedder.name();
    }

    public int size() {
        return tools.size();
    }

    /** Replaces everything known of one server with {@code serverTools} (an empty list removes it). */
    public synchronized void update(String serverId, List<ToolDocument> serverTools) {
        Set<String> previous = keysByServer.getOrDefault(serverId, Set.of());
        Map<String, Indexed> next = new HashMap<>();
        List<ToolDocument> toEmbed = new ArrayList<>();
        for (ToolDocument tool : serverTools) {
            Indexed known = tools.get(tool.key());
            if (known != null
                    && known.embeddedText().equals(embeddedText(tool))
                    && known.tool().equals(tool)) {
                next.put(tool.key(), known);
            } else {
                toEmbed.add(tool);
            }
        }
        if (!toEmbed.isEmpty()) {
            boolean embed = semanticOn();
            List<float[]> vectors = null;
            List<float[]> descriptions = null;
            try {
                vectors = embed
                        ? embedder.embedPassages(
                                toEmbed.stream().map(this::embeddedText).toList())
                        : null;
                descriptions = embed && tuning.descriptionWeight() > 0
                        ? embedder.embedPassages(
                                toEmbed.stream().map(ToolIndex::firstSentence).toList())
                        : null;
            } catch (RuntimeException | LinkageError e) {
                modelFailed(e);
                vectors = null;
                descriptions = null;
            }
            for (int i = 0; i < toEmbed.size(); i++) {
                ToolDocument tool = toEmbed.get(i);
                next.put(
                        tool.key(),
                        new Indexed(
                                tool,
                                embeddedText(tool),
                                vectors == null ? null : vectors.get(i),
                                descriptions == null ? null : descriptions.get(i)));
            }
        }
        if (serverTools.isEmpty()) {
            serverVectors.remove(serverId);
        } else if (semanticOn() && tuning.serverWeight() > 0) {
            String text = serverText(serverTools.get(0));
            ServerVector known = serverVectors.get(serverId);
            if (known == null || !known.text().equals(text)) {
                try {
                    serverVectors.put(serverId, new ServerVector(text, embedder.embedPassage(text)));
                } catch (RuntimeException | LinkageError e) {
                    modelFailed(e);
                }
            }
        }
        try {
            Term server = new Term("server_id", serverId);
            if (serverTools.isEmpty()) {
                writer.deleteDocuments(server);
            } else {
                writer.updateDocuments(
                        server, serverTools.stream().map(ToolIndex::document).toList());
            }
            searchers.maybeRefreshBlocking(); // near-real-time: readers see it without a commit
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        previous.stream().filter(key -> !next.containsKey(key)).forEach(tools::remove);
        tools.putAll(next);
        vectorSnapshot = null;
        if (next.isEmpty()) {
            keysByServer.remove(serverId);
        } else {
            keysByServer.put(serverId, Set.copyOf(next.keySet()));
        }
    }

    /** Builds the index for many servers at once (tools grouped by server), embedding in batches. */
    public void updateAll(Map<String, List<ToolDocument>> byServer) {
        byServer.forEach(this::update);
    }

    public List<SearchHit> search(SearchQuery query) {
        return search(query, tool -> true);
    }

    /**
     * The best tools for {@code query} among those {@code allowed}: the others are left out before anything is
     * scored, so no score (each is relative to the best candidate and to how far apart the candidates lie) says
     * anything of a tool the caller may not see.
     */
    public List<SearchHit> search(SearchQuery query, java.util.function.Predicate<ToolDocument> allowed) {
        String need = tuning.cleanQuery() ? NeedText.of(query.text()) : query.text();
        Map<String, Double> lexical = tuning.lexical() ? lexical(need, query, allowed) : Map.of();
        Map<String, Double> semantic = Map.of();
        if (semanticOn()) {
            try {
                semantic = semantic(need, query.text(), query, allowed);
            } catch (RuntimeException | LinkageError e) {
                modelFailed(e);
            }
        }
        Set<String> candidates = new LinkedHashSet<>(lexical.keySet());
        candidates.addAll(semantic.keySet());
        double bestLexical =
                lexical.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        // The words' score and the verb's agreement are added in units of how far apart the model's scores lie for
        // this need (their standard deviation among the candidates): models differ in how compressed their
        // cosines are, and a weight in cosine units that suits one drowns another.
        double spread = semanticOn() ? spread(semantic.values()) : 1;
        Action wanted = tuning.actionWeight() > 0 ? Action.of(need).orElse(null) : null;
        List<SearchHit> hits = new ArrayList<>();
        for (String key : candidates) {
            Indexed indexed = tools.get(key);
            if (indexed == null) {
                continue;
            }
            double lex = lexical.getOrDefault(key, 0.0) / bestLexical;
            double sem = semantic.getOrDefault(key, 0.0);
            double score = semanticOn() ? sem + spread * tuning.lexicalWeight() * lex : lex;
            if (wanted != null) {
                Action offered = Action.of(indexed.tool().nameWords()).orElse(null);
                double lift = spread * tuning.actionWeight();
                score += offered == null ? 0 : offered == wanted ? lift : -lift;
            }
            hits.add(new SearchHit(indexed.tool(), score, lex, sem));
        }
        hits.sort(Comparator.comparingDouble(SearchHit::score)
                .reversed()
                .thenComparing(hit -> hit.tool().key()));
        return List.copyOf(hits.subList(0, Math.min(query.topK(), hits.size())));
    }

    /** The standard deviation of {@code scores} (1 when there are too few to say). */
    private static double spread(java.util.Collection<Double> scores) {
        if (scores.size() < 2) {
            return 1;
        }
        double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double variance = scores.stream()
                .mapToDouble(score -> (score - mean) * (score - mean))
                .average()
                .orElse(0);
        return variance == 0 ? 1 : Math.sqrt(variance);
    }

    private Map<String, Double> lexical(
            String need, SearchQuery query, java.util.function.Predicate<ToolDocument> allowed) {
        List<String> terms = analyze(need);
        if (terms.isEmpty()) {
            return Map.of();
        }
        BooleanQuery.Builder words = new BooleanQuery.Builder();
        for (String term : terms) {
            FIELD_BOOSTS.forEach((field, boost) ->
                    words.add(new BoostQuery(new TermQuery(new Term(field, term)), boost), BooleanClause.Occur.SHOULD));
        }
        BooleanQuery.Builder full = new BooleanQuery.Builder().add(words.build(), BooleanClause.Occur.MUST);
        if (!query.servers().isEmpty()) {
            full.add(inSet("server_id", query.servers()), BooleanClause.Occur.FILTER);
        }
        if (!query.tags().isEmpty()) {
            full.add(inSet("tag", query.tags()), BooleanClause.Occur.FILTER);
        }
        Map<String, Double> scores = new HashMap<>();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                for (ScoreDoc hit : searcher.search(full.build(), CANDIDATES).scoreDocs) {
                    String key = searcher.storedFields().document(hit.doc).get("key");
                    Indexed indexed = tools.get(key);
                    if (indexed != null && allowed.test(indexed.tool())) {
                        scores.put(key, (double) hit.score);
                    }
                }
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scores;
    }

    private Map<String, Double> semantic(
            String need, String raw, SearchQuery query, java.util.function.Predicate<ToolDocument> allowed) {
        float[] q = embedder.embedQuery(need);
        double blend = tuning.rawQueryWeight();
        if (blend > 0 && !raw.equals(need)) {
            float[] written = embedder.embedQuery(raw);
            for (int d = 0; d < q.length; d++) {
                q[d] = (float) ((1 - blend) * q[d] + blend * written[d]);
            }
        }
        Vectors all = vectors();
        boolean filtered = !query.servers().isEmpty() || !query.tags().isEmpty();
        // the best CANDIDATES by score, kept in a small heap rather than sorting every tool
        java.util.PriorityQueue<Map.Entry<Integer, Double>> best =
                new java.util.PriorityQueue<>(CANDIDATES + 1, Map.Entry.comparingByValue());
        int dimensions = q.length;
        for (int i = 0; i < all.items().length; i++) {
            ToolDocument tool = all.items()[i].tool();
            if (filtered
                    && (!query.servers().isEmpty() && !query.servers().contains(tool.serverId())
                            || !query.tags().isEmpty() && tool.tags().stream().noneMatch(query.tags()::contains))) {
                continue;
            }
            double score = dot(q, all.matrix(), i * dimensions);
            // asked only of a tool that would be a candidate: the rules are not consulted for every tool
            if ((best.size() < CANDIDATES || score > best.peek().getValue()) && allowed.test(tool)) {
                best.add(Map.entry(i, score));
                if (best.size() > CANDIDATES) {
                    best.poll();
                }
            }
        }
        Map<String, Double> top = new HashMap<>();
        best.forEach(entry -> top.put(all.items()[entry.getKey()].tool().key(), entry.getValue()));
        return top;
    }

    /**
     * One row per tool, in one array: the tool's semantic score is linear in the need's vector, so its two
     * views and its server are folded into one vector, (1 - d) x full text + d x first sentence + s x server, and
     * a search costs one dot product per tool. Rebuilt on the first search after an update.
     */
    private record Vectors(Indexed[] items, float[] matrix) {}

    private Vectors vectors() {
        Vectors current = vectorSnapshot;
        if (current == null) {
            Indexed[] items = tools.values().stream()
                    .filter(indexed -> indexed.vector() != null)
                    .toArray(Indexed[]::new);
            int dimensions = items.length == 0 ? 0 : items[0].vector().length;
            float[] matrix = new float[items.length * dimensions];
            float own = (float)
                    (items.length > 0 && items[0].descriptionVector() != null ? 1 - tuning.descriptionWeight() : 1);
            float description = 1 - own;
            float server = (float) tuning.serverWeight();
            for (int i = 0; i < items.length; i++) {
                float[] full = items[i].vector();
                float[] first = items[i].descriptionVector();
                ServerVector serverVector = serverVectors.get(items[i].tool().serverId());
                for (int d = 0; d < dimensions; d++) {
                    matrix[i * dimensions + d] = own * full[d]
                            + (first == null ? 0 : description * first[d])
                            + (serverVector == null ? 0 : server * serverVector.vector()[d]);
                }
            }
            current = new Vectors(items, matrix);
            vectorSnapshot = current;
        }
        return current;
    }

    /** {@code a} times the row of {@code matrix} starting at {@code offset}; four sums so the loop pipelines. */
    private static double dot(float[] a, float[] matrix, int offset) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < a.length; i += 4) {
            s0 += a[i] * matrix[offset + i];
            s1 += a[i + 1] * matrix[offset + i + 1];
            s2 += a[i + 2] * matrix[offset + i + 2];
            s3 += a[i + 3] * matrix[offset + i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * matrix[offset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static Query inSet(String field, Set<String> values) {
        return new TermInSetQuery(field, values.stream().map(BytesRef::new).toList());
    }

    /** What is embedded for a tool: its name as words and its description, and (tuned) its parameters. */
    String embeddedText(ToolDocument tool) {
        String core = (tuning.serverInText() ? tool.serverName() + ": " : "") + tool.nameWords() + ": "
                + tool.toolDescription();
        String params = tuning.embedParams() ? tool.parameterText() : "";
        return params.isEmpty() ? core : core + " Parameters: " + params + ".";
    }

    /** The description's first sentence, or the tool's name as words when it has none. */
    private static String firstSentence(ToolDocument tool) {
        String description = tool.toolDescription().strip();
        int end = description.indexOf(". ");
        String first = end < 0 ? description : description.substring(0, end + 1);
        return first.isEmpty() ? tool.nameWords() : first;
    }

    private static String serverText(ToolDocument tool) {
        return tool.serverName() + ": " + tool.serverDescription()
                + (tool.tags().isEmpty() ? "" : " Tags: " + String.join(", ", tool.tags()) + ".");
    }

    private static Document document(ToolDocument tool) {
        Document document = new Document();
        document.add(new StringField("key", tool.key(), Field.Store.YES));
        document.add(new StringField("server_id", tool.serverId(), Field.Store.NO));
        tool.tags().forEach(tag -> document.add(new StringField("tag", tag, Field.Store.NO)));
        document.add(new TextField("name", tool.nameWords(), Field.Store.NO));
        document.add(new TextField("description", tool.toolDescription(), Field.Store.NO));
        document.add(new TextField("params", tool.parameterText(), Field.Store.NO));
        document.add(new TextField(
                "server",
                tool.serverName() + " " + tool.serverDescription() + " " + String.join(" ", tool.tags()),
                Field.Store.NO));
        return document;
    }

    private List<String> analyze(String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("description", ToolDocument.words(text))) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terms;
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
