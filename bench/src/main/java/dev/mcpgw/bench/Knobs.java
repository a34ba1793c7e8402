package dev.mcpgw.bench;

import dev.mcpgw.discovery.Tuning;
import java.util.function.Consumer;

/**
 * The bench's way to vary a {@link Tuning} one knob at a time (the product only ever uses its default).
 */
record Knobs(Tuning tuning) {

    static Knobs of(Tuning tuning) {
        return new Knobs(tuning);
    }

    /** Embeddings alone, of the tool's name and description: how the reference ranks. */
    static Knobs reference() {
        return new Knobs(new Tuning(false, true, 0, false, 0, false, 0, 0, 0, false));
    }

    Knobs withLexical(boolean on, double weight) {
        return with(t -> {
            t.lexical = on;
            t.lexicalWeight = weight;
        });
    }

    Knobs withEmbedParams(boolean on) {
        return with(t -> t.embedParams = on);
    }

    Knobs withServerWeight(double weight) {
        return with(t -> t.serverWeight = weight);
    }

    Knobs withCleanQuery(boolean on) {
        return with(t -> t.cleanQuery = on);
    }

    Knobs withActionWeight(double weight) {
        return with(t -> t.actionWeight = weight);
    }

    Knobs withDescriptionWeight(double weight) {
        return with(t -> t.descriptionWeight = weight);
    }

    Knobs withRawQueryWeight(double weight) {
        return with(t -> t.rawQueryWeight = weight);
    }

    Knobs withServerInText(boolean on) {
        return with(t -> t.serverInText = on);
    }

    /** The tuning's values, to change some and build another. */
    private static final class Values {
        boolean lexical;
        boolean semantic;
        double lexicalWeight;
        boolean embedParams;
        double serverWeight;
        boolean cleanQuery;
        double actionWeight;
        double descriptionWeight;
        double rawQueryWeight;
        boolean serverInText;
    }

    private Knobs with(Consumer<Values> change) {
        Values v = new Values();
        v.lexical = tuning.lexical();
        v.semantic = tuning.semantic();
        v.lexicalWeight = tuning.lexicalWeight();
        v.embedParams = tuning.embedParams();
        v.serverWeight = tuning.serverWeight();
        v.cleanQuery = tuning.cleanQuery();
        v.actionWeight = tuning.actionWeight();
        v.descriptionWeight = tuning.descriptionWeight();
        v.rawQueryWeight = tuning.rawQueryWeight();
        v.serverInText = tuning.serverInText();
        change.accept(v);
        return new Knobs(new Tuning(
                v.lexical,
                v.semantic,
                v.lexicalWeight,
                v.embedParams,
                v.serverWeight,
                v.cleanQuery,
                v.actionWeight,
                v.descriptionWeight,
                v.rawQueryWeight,
                v.serverInText));
    }
}
