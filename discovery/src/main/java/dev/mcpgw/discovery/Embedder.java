package dev.mcpgw.discovery;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;

/**
 * Sentence embeddings, in-process and offline: all-MiniLM-L6-v2 through ONNX, the model inside a Maven
 * artifact (no download at run time). Vectors come back normalised, so a dot product is the cosine.
 */
public final class Embedder {

    private final EmbeddingModel model;
    private final String name;

    public Embedder(EmbeddingModel model, String name) {
        this.model = model;
        this.name = name;
    }

    /** The model we ship: the quantized all-MiniLM-L6-v2 (BENCHMARKS.md says why). */
    public static Embedder quantizedMiniLm() {
        return new Embedder(inNative(AllMiniLmL6V2QuantizedEmbeddingModel::new), "all-MiniLM-L6-v2 (quantized)");
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

    public float[] embed(String text) {
        return normalised(inNative(() -> model.embed(text).content().vector()));
    }

    public List<float[]> embedAll(List<String> texts) {
        return inNative(() -> model.embedAll(
                                texts.stream().map(TextSegment::from).toList())
                        .content())
                .stream()
                .map(embedding -> normalised(embedding.vector()))
                .toList();
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
