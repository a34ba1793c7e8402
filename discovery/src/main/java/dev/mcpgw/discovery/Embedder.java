package dev.mcpgw.discovery;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.List;

/**
 * Sentence embeddings, in-process and offline: small models through ONNX, each inside a Maven artifact (no
 * download at run time), alone or as an ensemble. Needs are embedded as queries and tools' texts as passages, each
 * written as its model was trained to read them. Vectors come back normalised, so a dot product is the cosine (of
 * an ensemble: the weighted mean of its models' cosines).
 */
public final class Embedder {

    /**
     * One model of an embedder: how a need (query) and a tool's text (passage) are written for it - some models
     * were trained with a prefix on each side (e5: {@code "query: "}, {@code "passage: "}; bge: an instruction
     * before queries) - and its weight in an ensemble.
     */
    public record Part(EmbeddingModel model, String queryPrefix, String passagePrefix, double weight) {}

    private final List<Part> parts;
    private final String name;

    public Embedder(EmbeddingModel model, String name) {
        this(List.of(new Part(model, "", "", 1)), name);
    }

    /**
     * An ensemble: each text is embedded by every part, each vector normalised and scaled by the square root of
     * its part's weight, and the vectors joined; normalised again, the dot product of two such vectors is the
     * weighted mean of the parts' cosines. One vector per text, so the index is the same for one model or many.
     */
    public Embedder(List<Part> parts, String name) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("an embedder needs a model");
        }
        this.parts = List.copyOf(parts);
        this.name = name;
    }

    /** How bge-small-en-v1.5 wants a short query for retrieval written (its model card's instruction). */
    public static final String BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

    /**
     * What we ship: an ensemble of the quantized all-MiniLM-L6-v2 and the quantized bge-small-en-v1.5, equally
     * weighted - on the half of the real servers' tools we did not tune on, it ranks better than either alone, and
     * a query is still embedded within the latency budget (BENCHMARKS.md, "Tool discovery").
     */
    public static Embedder shipped() {
        EmbeddingModel minilm = inNative(AllMiniLmL6V2QuantizedEmbeddingModel::new);
        EmbeddingModel bge = inNative(BgeSmallEnV15QuantizedEmbeddingModel::new);
        return new Embedder(
                List.of(new Part(minilm, "", "", 1), new Part(bge, BGE_QUERY_INSTRUCTION, "", 1)),
                "all-MiniLM-L6-v2 + bge-small-en-v1.5 (quantized)");
    }

    /** The quantized all-MiniLM-L6-v2 alone (the model the reference uses, in its smaller form). */
    public static Embedder quantizedMiniLm() {
        EmbeddingModel model = inNative(AllMiniLmL6V2QuantizedEmbeddingModel::new);
        return new Embedder(model, "all-MiniLM-L6-v2 (quantized)");
    }

    /** A model built in native code (ONNX Runtime), counted like every call into it. */
    public static <T> T loaded(java.util.function.Supplier<T> model) {
        return inNative(model);
    }

    // The JVM must not exit while a thread is inside ONNX Runtime: ONNX Runtime's own shutdown hook releases its
    // native environment under that thread, and the process dies of SIGSEGV/SIGBUS (found in a bench run: mcpgw up
    // stopped 2.9 s after it started, while the search index loaded the model; ModelShutdownTest repeats it).
    // Shutdown hooks run together, so no hook of ours can hold that one back: instead every call into the model
    // is counted, and whoever ends the JVM first quiesces - SIGTERM and SIGINT (exitOnSignals), and the CLI before
    // System.exit. Calls starting after that fail, as a model that stopped working does (search goes lexical).
    private static final Object NATIVE = new Object();
    private static int nativeCalls;
    private static boolean stopping;

    /**
     * Stops new calls into the model and waits (at most {@code patience}) until none is running, so the JVM may
     * exit. Call it before {@code System.exit}.
     */
    public static void quiesce(java.time.Duration patience) {
        synchronized (NATIVE) {
            stopping = true;
            long deadline = System.nanoTime() + patience.toNanos();
            while (nativeCalls > 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                try {
                    NATIVE.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Makes SIGTERM and SIGINT end the JVM as they do by default (shutdown hooks, then exit status 128 + the
     * signal's number), after {@link #quiesce quiescing} the model.
     */
    public static void exitOnSignals() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    quiesce(java.time.Duration.ofSeconds(30));
                    System.exit(128 + signal.getNumber());
                });
            } catch (IllegalArgumentException unavailable) {
                // Not on this platform, or the JVM was told to leave signals alone (-Xrs): the default stays.
            }
        }
    }

    private static <T> T inNative(java.util.function.Supplier<T> call) {
        synchronized (NATIVE) {
            if (stopping) {
                throw new IllegalStateException("the JVM is stopping; the embedding model is not called any more");
            }
            nativeCalls++;
        }
        try {
            return call.get();
        } finally {
            synchronized (NATIVE) {
                nativeCalls--;
                NATIVE.notifyAll();
            }
        }
    }

    public String name() {
        return name;
    }

    /** A need, as a query. */
    public float[] embedQuery(String text) {
        float[][] byPart = new float[parts.size()][];
        for (int p = 0; p < parts.size(); p++) {
            Part part = parts.get(p);
            byPart[p] = normalised(inNative(() ->
                    part.model().embed(part.queryPrefix() + text).content().vector()));
        }
        return joined(byPart);
    }

    /** Tools' (or servers') texts, as passages. */
    public List<float[]> embedPassages(List<String> texts) {
        List<List<float[]>> byPart = new java.util.ArrayList<>();
        for (Part part : parts) {
            byPart.add(inNative(() -> part.model()
                            .embedAll(texts.stream()
                                    .map(text -> TextSegment.from(part.passagePrefix() + text))
                                    .toList())
                            .content())
                    .stream()
                    .map(embedding -> normalised(embedding.vector()))
                    .toList());
        }
        List<float[]> joined = new java.util.ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[][] one = new float[parts.size()][];
            for (int p = 0; p < parts.size(); p++) {
                one[p] = byPart.get(p).get(i);
            }
            joined.add(joined(one));
        }
        return joined;
    }

    /** One passage. */
    public float[] embedPassage(String text) {
        return embedPassages(List.of(text)).get(0);
    }

    private float[] joined(float[][] byPart) {
        if (byPart.length == 1) {
            return byPart[0];
        }
        int length = 0;
        for (float[] vector : byPart) {
            length += vector.length;
        }
        float[] joined = new float[length];
        int at = 0;
        for (int p = 0; p < byPart.length; p++) {
            float scale = (float) Math.sqrt(parts.get(p).weight());
            for (float value : byPart[p]) {
                joined[at++] = value * scale;
            }
        }
        return normalised(joined);
    }

    private static float[] normalised(float[] vector) {
        double norm = 0;
        for (float value : vector) {
            norm += value * value;
        }
        float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < vector.length; i++) {
            vector[i] *= scale;
        }
        return vector;
    }
}
