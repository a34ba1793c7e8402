// An MCP client on the official TypeScript SDK v2 (@modelcontextprotocol/client, pinned in ../package.json), for
// the tests of both protocol eras: `node list-and-call.mjs <url> <era> <tool> [arguments-json]` connects over
// Streamable HTTP in era "2026" (2026-07-28 pinned: server/discover, stateless) or "2025" (the 2025 initialize
// handshake), lists the tools, calls <tool>, and prints one JSON line: {"protocolVersion", "tools", "result"}.
// MCP_TOKEN, when set, is sent as a bearer token. A failure prints {"error": "..."} and exits 1.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const [url, era, tool, args] = process.argv.slice(2);
if (!url || (era !== '2026' && era !== '2025') || !tool) {
    console.error('usage: node list-and-call.mjs <url> 2026|2025 <tool> [arguments-json]');
    process.exit(2);
}
const headers = process.env.MCP_TOKEN ? { Authorization: 'Bearer ' + process.env.MCP_TOKEN } : {};
const client = new Client(
    { name: 'mcpgw-era-test', version: '1.0.0' },
    { versionNegotiation: { mode: era === '2026' ? { pin: '2026-07-28' } : 'legacy' } },
);
try {
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
    const listed = await client.listTools();
    const result = await client.callTool({ name: tool, arguments: args ? JSON.parse(args) : {} });
    console.log(JSON.stringify({
        protocolVersion: client.getNegotiatedProtocolVersion?.() ?? null,
        tools: listed.tools.map(t => t.name),
        result,
    }));
    await client.close();
    process.exit(0);
} catch (e) {
    console.log(JSON.stringify({ error: String(e?.message ?? e) }));
    process.exit(1);
}
