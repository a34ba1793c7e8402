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
        return new Embedder(new AllMiniLmL6V2QuantizedEmbeddingModel(), "all-MiniLM-L6-v2 (quantized)");
    }

    public String name() {
        return name;
    }

    public float[] embed(String text) {
        return normalised(model.embed(text).content().vector());
    }

    public List<float[]> embedAll(List<String> texts) {
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(embedding -> normalised(embedding.vector())).toList();
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
