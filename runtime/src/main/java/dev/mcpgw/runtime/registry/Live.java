package dev.mcpgw.runtime.registry;

import dev.mcpgw.core.model.ServerEntry;
import dev.mcpgw.core.status.ServerStatus;
import java.io.IOException;
import java.util.Map;

/** What the API needs of the running runtime besides the registry: observed status, and reacting to changes. */
public interface Live {

    /** The latest observed status of every server, by id. */
    Map<String, ServerStatus> statuses();

    /** The config branch moved because of our own commit: reload, tell browsers, deploy when applying. */
    void committed() throws IOException;

    /** Probes one server now, records its status and tells browsers. */
    ServerStatus probeNow(ServerEntry entry) throws IOException;

    /** Probes one server in the background (a server just enabled); browsers hear the result. */
    void probeSoon(String id);
}
