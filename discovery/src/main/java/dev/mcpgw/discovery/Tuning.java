package dev.mcpgw.discovery;

/**
 * How the two rankings are made and combined; {@link #DEFAULT} is what measured best on the half of the
 * evaluation set in bench/ it was tuned on, and held on the other (BENCHMARKS.md). The bench varies the rest.
 * Weights added to the semantic score are in units of its spread for the query (the standard deviation of the
 * candidates' similarities), so they mean the same whatever the model.
 *
 * @param lexical           use BM25 at all
 * @param semantic          use embeddings at all
 * @param lexicalWeight     with both: weight of the BM25 score (as a share of the query's best) added
 * @param embedParams       embed the tool's parameter names and descriptions with its name and description
 * @param serverWeight      weight of the similarity between the need and the tool's server (its name, description
 *                          and tags, embedded once per server) added to the tool's own similarity
 * @param cleanQuery        drop the framing of a request ("do I have tools to", "is there a way to", "please")
 *                          before ranking, so only the need is compared
 * @param actionWeight      added when the need's verb and the tool name's verb ask for the same kind of action
 *                          (create, read, update, delete, send, run), taken away when they ask for different ones
 * @param descriptionWeight share of the similarity taken from the description embedded on its own (its first
 *                          sentence), beside the tool's full text: short needs match short texts better
 * @param rawQueryWeight    with {@code cleanQuery}: share of the request as written (framing included) blended
 *                          into the need's embedding; the framing sometimes carries meaning ("who should I wake up")
 * @param serverInText      begin the tool's embedded text with its server's name ("GitHub: create issue: ..."), so
 *                          a need naming a product ("on GitHub") meets the tools of that product
 */
public record Tuning(
        boolean lexical,
        boolean semantic,
        double lexicalWeight,
        boolean embedParams,
        double serverWeight,
        boolean cleanQuery,
        double actionWeight,
        double descriptionWeight,
        double rawQueryWeight,
        boolean serverInText) {

    /**
     * Chosen on the tune half of the real servers' tools (bench/eval-real) before the held-out half was looked
     * at: the tool's server name, name and description embedded (its parameters hurt: real parameter texts are
     * noise); the need without its framing; BM25 at half a standard deviation; agreeing verbs at a tenth.
     */
    public static final Tuning DEFAULT = new Tuning(true, true, 0.5, false, 0, true, 0.1, 0, 0, true);

    /** Words alone: what the index does without a model. */
    public static Tuning lexicalOnly() {
        return new Tuning(true, false, 1, true, 0, true, 0, 0, 0, false);
    }
}
