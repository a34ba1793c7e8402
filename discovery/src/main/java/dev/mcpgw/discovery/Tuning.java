package dev.mcpgw.discovery;

/**
 * How the two rankings are made and combined; the defaults are what measured best on the evaluation set in
 * bench/ (BENCHMARKS.md).
 *
 * @param lexical        use BM25 at all
 * @param semantic       use embeddings at all
 * @param lexicalWeight  with both: weight of the normalised BM25 score added to the cosine similarity
 * @param embedContext   embed parameters and the server's name, description and tags with the tool (true), or
 *                       the tool's name and description alone, as the reference does (false)
 * @param reciprocalRank combine by weighted reciprocal rank (k = 60) instead of by score
 */
public record Tuning(boolean lexical, boolean semantic, double lexicalWeight, boolean embedContext,
                     boolean reciprocalRank) {

    public static final Tuning DEFAULT = new Tuning(true, true, 0.3, true, false);

    public static Tuning lexicalOnly() {
        return new Tuning(true, false, 1, true, false);
    }

    public static Tuning semanticOnly(boolean embedContext) {
        return new Tuning(false, true, 0, embedContext, false);
    }

    public Tuning withLexicalWeight(double weight) {
        return new Tuning(lexical, semantic, weight, embedContext, reciprocalRank);
    }

    public Tuning withReciprocalRank(boolean rrf) {
        return new Tuning(lexical, semantic, lexicalWeight, embedContext, rrf);
    }

    public Tuning withEmbedContext(boolean context) {
        return new Tuning(lexical, semantic, lexicalWeight, context, reciprocalRank);
    }
}
