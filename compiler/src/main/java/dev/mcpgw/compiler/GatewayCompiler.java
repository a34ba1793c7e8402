package dev.mcpgw.compiler;

import dev.mcpgw.core.validation.Problem;
import dev.mcpgw.core.validation.RegistryValidator;
import dev.mcpgw.core.validation.SourceFile;
import dev.mcpgw.core.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Path;
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
    public record Result(ValidationReport report, List<Problem> problems, String config, GatewaySettings settings) {
        public boolean ok() {
            return problems.isEmpty();
        }

        /** Whether nginx.conf includes {@link UpstreamCredentials#FILE}. */
        public boolean needsCredentials() {
            return !UpstreamCredentials.headerNames(report.entries()).isEmpty();
        }

        /** credentials.conf with the values read from {@code secrets}, or null when no entry sets a header. */
        public String credentials(UpstreamCredentials.Secrets secrets) throws UpstreamCredentials.Unavailable {
            return needsCredentials() ? UpstreamCredentials.render(report.entries(), settings.auth(), secrets) : null;
        }

        /** The stand-in credentials.conf written beside a compiled nginx.conf, or null when none is needed. */
        public String placeholderCredentials() {
            return needsCredentials() ? UpstreamCredentials.placeholder(report.entries(), settings.auth()) : null;
        }
    }

    public Result compile(Path servers, String shownAs, GatewaySettings settings) throws IOException {
        return compile(validator.validateDirectory(servers, shownAs), settings);
    }

    /** Compiles the registry made of {@code sources}, for example the files of a branch. */
    public Result compile(List<SourceFile> sources, GatewaySettings settings) {
        return compile(validator.validate(sources), settings);
    }

    /** Compiles an already validated registry (for example a {@code RegistryRevision}'s report). */
    public Result compile(ValidationReport report, GatewaySettings settings) {
        if (!report.problems().isEmpty()) {
            return new Result(report, report.problems(), null, settings);
        }
        return new Result(report, List.of(), renderer.render(report.entries(), settings), settings);
    }
}
