package dev.mcpgw.cli;

import dev.mcpgw.core.git.GitStore;
import dev.mcpgw.runtime.RuntimeSettings;
import dev.mcpgw.runtime.auth.ApiTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.PersonIdent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/** {@code mcpgw token create|list|revoke}: bearer tokens for programs, kept as hashes on the tokens branch. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        headerHeading = "",
        header = "Create, list and revoke API tokens for programs.",
        description = {
            "Tokens are kept only as SHA-256 hashes in tokens/<id>.json on the tokens branch of the "
                    + "registry repository; every runtime using the repository accepts them within a second of a "
                    + "change (after its next fetch, with serve --push). Members of the admins group may change the "
                    + "registry; other tokens may read it."
        },
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:no such token, or the repository could not be used", "2:usage error"})
final class TokenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "name a subcommand: create, list or revoke");
    }

    /** The repository option and opening it, shared by the subcommands. */
    static final class Repository {
        @Spec(Spec.Target.MIXEE)
        private CommandSpec spec;

        @Option(
                names = "--repo",
                paramLabel = "PATH",
                defaultValue = ".",
                description = "The registry's Git repository (default: the current directory).")
        private Path repo;

        @Option(names = "--push", description = "Push the tokens branch to the remote 'origin'.")
        private boolean push;

        GitStore open() throws IOException {
            if (!Files.isDirectory(repo)) {
                throw new ParameterException(spec.commandLine(), "--repo: '" + repo + "' is not a directory");
            }
            return GitStore.open(repo);
        }

        ApiTokens tokens(GitStore store) throws IOException {
            ApiTokens tokens = new ApiTokens(
                    store, RuntimeSettings.Branches.DEFAULT.tokens(), push ? "origin" : null, Clock.systemUTC());
            tokens.fetch();
            return tokens;
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a token and print it once; it cannot be shown again.")
    static final class Create implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private Repository repository;

        @Option(names = "--user", paramLabel = "NAME", required = true, description = "Who the token acts as.")
        private String user;

        @Option(
                names = "--groups",
                paramLabel = "GROUP",
                split = ",",
                description = "Groups, comma-separated; 'admins' may change the registry.")
        private List<String> groups = List.of();

        @Option(
                names = "--expires",
                paramLabel = "DURATION",
                defaultValue = "90d",
                converter = DurationConverter.class,
                description = "Lifetime, at most 366d (default: ${DEFAULT-VALUE}).")
        private Duration expires;

        @Option(names = "--description", paramLabel = "TEXT", description = "What the token is for.")
        private String description;

        @Override
        public Integer call() throws Exception {
            try (GitStore store = repository.open()) {
                ApiTokens.Created created;
                try {
                    created = repository
                            .tokens(store)
                            .create(
                                    user,
                                    new LinkedHashSet<>(groups),
                                    expires,
                                    description,
                                    new PersonIdent(store.repository()));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
                var out = spec.commandLine().getOut();
                out.println(created.token());
                spec.commandLine()
                        .getErr()
                        .println("token " + created.record().id() + " for " + user + ", expires "
                                + created.record().expiresAt() + "; keep it secret, it is not shown again");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never the tokens themselves).")
    static final class ListTokens implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private Repository repository;

        @Option(names = "--json", description = "Print JSON.")
        private boolean json;

        @Override
        public Integer call() throws Exception {
            try (GitStore store = repository.open()) {
                List<ApiTokens.TokenRecord> records = repository.tokens(store).list();
                var out = spec.commandLine().getOut();
                Instant now = Instant.now();
                if (json) {
                    ArrayNode list = JsonMapper.shared().createArrayNode();
                    for (ApiTokens.TokenRecord record : records) {
                        var item = list.addObject()
                                .put("id", record.id())
                                .put("user", record.user())
                                .put("description", record.description())
                                .put("created_at", record.createdAt().toString())
                                .put("expires_at", record.expiresAt().toString())
                                .put(
                                        "revoked_at",
                                        record.revokedAt() == null
                                                ? null
                                                : record.revokedAt().toString())
                                .put("active", record.activeAt(now));
                        record.groups().forEach(item.putArray("groups")::add);
                    }
                    out.println(
                            JsonMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsString(list));
                    return ExitCodes.OK;
                }
                for (ApiTokens.TokenRecord record : records) {
                    String state = record.revokedAt() != null
                            ? "revoked " + record.revokedAt()
                            : record.activeAt(now) ? "expires " + record.expiresAt() : "expired " + record.expiresAt();
                    out.printf(
                            "%s  %-20s %-20s %s%s%n",
                            record.id(),
                            record.user(),
                            String.join(",", record.groups()),
                            state,
                            record.description() == null ? "" : "  " + record.description());
                }
                if (records.isEmpty()) {
                    out.println("no tokens; create one with mcpgw token create --user NAME");
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke a token; runtimes refuse it " + "within a second.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private Repository repository;

        @Parameters(paramLabel = "ID", description = "The token's id, as mcpgw token list shows it.")
        private String id;

        @Override
        public Integer call() throws Exception {
            try (GitStore store = repository.open()) {
                if (!repository.tokens(store).revoke(id, new PersonIdent(store.repository()))) {
                    spec.commandLine().getErr().println("token revoke: no token " + id + "; see mcpgw token list");
                    return ExitCodes.CHECK_FAILED;
                }
                spec.commandLine().getOut().println("revoked " + id);
                return ExitCodes.OK;
            }
        }
    }
}
