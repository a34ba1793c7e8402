package dev.mcpgw.compiler;

import dev.mcpgw.core.validation.FileResult;
import dev.mcpgw.core.validation.Problem;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.core.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Validates the registry and, only when it is valid, renders the gateway's nginx.conf. */
public final class GatewayCompiler {

    private final RegistryValidator validator;
    private final NginxConfigRenderer renderer = new NginxConfigRenderer();

    public GatewayCompiler(RegistryValidator validator) {
        this.validator = validator;
    }

    /**
     * @param config the rendered nginx.conf, or null when {@code problems} is not empty
     */
    public record Result(ValidationReport report, List<Problem> problems, String config) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Result compile(Path servers, String shownAs, GatewaySettings settings) throws IOException {
        return compile(validator.validateDirectory(servers, shownAs), settings);
    }

    /** Compiles the registry made of {@code sources}, for example the files of a branch. */
    public Result compile(List<SourceFile> sources, GatewaySettings settings) {
        return compile(validator.validate(sources), settings);
    }

    private Result compile(ValidationReport report, GatewaySettings settings) {
        List<Problem> problems = new ArrayList<>(report.problems());
        report.files().forEach(file -> problems.addAll(unsupported(file)));
        if (!problems.isEmpty()) {
            return new Result(report, problems, null);
        }
        return new Result(report, problems, renderer.render(report.entries(), settings));
    }

    /** What a valid entry asks for that this gateway cannot do yet: refused rather than ignored. */
    public static List<Problem> unsupported(FileResult file) {
        if (file.entry() != null && !file.entry().upstreamHeaders().isEmpty()) {
            return List.of(new Problem(file.file(), file.document().positionOf("/upstream_headers"),
                    "upstream_headers", "the gateway cannot add upstream headers yet, and will not "
                            + "silently drop credentials; remove the field to compile this entry"));
        }
        return List.of();
    }
}
