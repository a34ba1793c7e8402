package dev.mcpgw.discovery;

/**
 * How the two rankings are made and combined; {@link #DEFAULT} is what measured best on the evaluation set in
 * bench/ (BENCHMARKS.md).
 *
 * @param lexical        use BM25 at all
 * @param semantic       use embeddings at all
 * @param lexicalWeight  with both: weight of the normalised BM25 score added to the semantic score
 * @param embedParams    embed the tool's parameter names and descriptions with its name and description
 * @param serverWeight   weight of the similarity between the need and the tool's server (its name, description
 *                       and tags, embedded once per server) added to the tool's own similarity
 * @param cleanQuery     drop the framing of a request ("do I have tools to", "is there a way to", "please")
 *                       before ranking, so only the need is compared
 * @param reciprocalRank combine by weighted reciprocal rank (k = 60) instead of by score
 * @param actionWeight   added when the need's verb and the tool name's verb ask for the same kind of action
 *                       (create, read, update, delete, send, run), taken away when they ask for different ones
 * @param descriptionWeight share of the similarity taken from the description embedded on its own (its first
 *                       sentence), beside the tool's full text: short needs match short texts better
 * @param rawQueryWeight with {@code cleanQuery}: share of the request as written (framing included) blended
 *                       into the need's embedding; the framing sometimes carries meaning ("who should I wake up")
 */
public record Tuning(
        boolean lexical,
        boolean semantic,
        double lexicalWeight,
        boolean embedParams,
        double serverWeight,
        boolean cleanQuery,
        boolean reciprocalRank,
        double actionWeight,
        double descriptionWeight,
        double rawQueryWeight) {

    public static final Tuning DEFAULT = new Tuning(true, true, 0.1, true, 0.5, true, false, 0.02, 0.4, 0.3);

    public static Tuning lexicalOnly() {
        return new Tuning(true, false, 1, true, 0, true, false, 0, 0, 0);
    }

    /** Embeddings alone, of the tool's name and description: how the reference ranks. */
    public static Tuning reference() {
        return new Tuning(false, true, 0, false, 0, false, false, 0, 0, 0);
    }

    public Tuning withLexical(boolean on, double weight) {
        return new Tuning(
                on,
                semantic,
                weight,
                embedParams,
                serverWeight,
                cleanQuery,
                reciprocalRank,
                actionWeight,
                descriptionWeight,
                rawQueryWeight);
    }

    public Tuning withEmbedParams(boolean on) {
        return new Tuning(
                lexical,
                semantic,
                lexicalWeight,
                on,
                serverWeight,
                cleanQuery,
                reciprocalRank,
                actionWeight,
                descriptionWeight,
                rawQueryWeight);
    }

    public Tuning withServerWeight(double weight) {
        return new Tuning(
                lexical,
                semantic,
                lexicalWeight,
                embedParams,
                weight,
                cleanQuery,
                reciprocalRank,
                actionWeight,
                descriptionWeight,
                rawQueryWeight);
    }

    public Tuning withCleanQuery(boolean on) {
        return new Tuning(
                lexical,
                semantic,
                lexicalWeight,
                embedParams,
                serverWeight,
                on,
                reciprocalRank,
                actionWeight,
                descriptionWeight,
                rawQueryWeight);
    }

    public Tuning withActionWeight(double weight) {
        return new Tuning(
                lexical,
                semantic,
                lexicalWeight,
                embedParams,
                serverWeight,
                cleanQuery,
                reciprocalRank,
                weight,
                descriptionWeight,
                rawQueryWeight);
    }

    public Tuning withDescriptionWeight(double weight) {
        return new Tuning(
                lexical,
                semantic,
                lexicalWeight,
                embedParams,
                serverWeight,
                cleanQuery,
                reciprocalRank,
                actionWeight,
                weight,
                rawQueryWeight);
    }

    public Tuning withRawQueryWeight(double weight) {
        return new Tuning(
                lexical,
                semantic,
                lexicalWeight,
                embedParams,
                serverWeight,
                cleanQuery,
                reciprocalRank,
                actionWeight,
                descriptionWeight,
                weight);
    }

    public Tuning withReciprocalRank(boolean on) {
        return new Tuning(
                lexical,
                semantic,
                lexicalWeight,
                embedParams,
                serverWeight,
                cleanQuery,
                on,
                actionWeight,
                descriptionWeight,
                rawQueryWeight);
    }
}
