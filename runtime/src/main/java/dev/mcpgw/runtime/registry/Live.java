package dev.mcpgw.runtime.registry;

import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.status.ServerStatus;
import dev.mcpgw.runtime.auth.Principal;
import java.io.IOException;
import java.util.Map;

/** What the API and the mcpgw MCP server need of the running runtime besides the registry itself. */
public interface Live {

    /** Who asked, through which door ({@code session}, {@code token}, {@code mcp}) and from where, for the audit. */
    record Caller(Principal who, String channel, String from) {}

    /** The latest observed status of every server, by id. */
    Map<String, ServerStatus> statuses();

    /**
     * A change was asked for and is done (or already was so: no commit): count it, reload, tell browsers, deploy
     * when applying, and write the audit line - the same whichever door it came through.
     */
    void changed(Caller caller, String action, RegistryEditor.Outcome outcome) throws IOException;

    /** An audit line for an action that changes no file (a refresh). */
    void audit(Caller caller, String action, String path, String detail);

    /** Probes one server now, records and counts its status and tells browsers. */
    ServerStatus probeNow(ServerEntry entry) throws IOException;

    /** Probes one server in the background (a server just enabled); browsers hear the result. */
    void probeSoon(String id);
}
