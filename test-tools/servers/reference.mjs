// A reference MCP server built on the official TypeScript SDK v2 (@modelcontextprotocol/server, pinned in
// ../package.json), for the tests of both protocol eras: `node reference.mjs <era> [port]` serves Streamable HTTP
// at http://127.0.0.1:<port>/mcp and prints "listening <port>" once it does.
//   era "2026"  - 2026-07-28 only (stateless); a 2025-era client is refused with the SDK's own error.
//   era "dual"  - 2026-07-28, and 2025-11-25 and earlier over the SDK's stateless legacy serving.
// Its tools are the conformance suite's fixtures the tests use: test_simple_text, test_error_handling, and
// get_quote (a tool with an argument, as the example servers have).
import http from 'node:http';
import {
    createMcpHandler,
    hostHeaderValidationResponse,
    localhostAllowedHostnames,
    localhostAllowedOrigins,
    McpServer,
    originValidationResponse,
} from '@modelcontextprotocol/server';
import * as z from 'zod';

const era = process.argv[2];
const port = Number(process.argv[3] ?? 0);
if (era !== '2026' && era !== 'dual') {
    console.error('usage: node reference.mjs 2026|dual [port]');
    process.exit(2);
}

function server() {
    const mcp = new McpServer({ name: 'reference-' + era, version: '2.4.0' });
    mcp.registerTool('test_simple_text', { description: 'Answers with a simple text.' },
        async () => ({ content: [{ type: 'text', text: 'This is a simple text response for testing.' }] }));
    mcp.registerTool('test_error_handling', { description: 'Always fails, as a tool error.' },
        async () => ({ isError: true, content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }] }));
    mcp.registerTool('get_quote', {
        description: 'Latest price of a stock by ticker symbol.',
        inputSchema: { symbol: z.string().describe('Ticker symbol, for example AAPL') },
    }, async ({ symbol }) => ({ content: [{ type: 'text', text: symbol + ': 123.45 USD' }] }));
    return mcp;
}

const handler = createMcpHandler(() => server(), { legacy: era === 'dual' ? 'stateless' : 'reject' });

const listener = http.createServer(async (req, res) => {
    try {
        const url = new URL(req.url, 'http://' + (req.headers.host ?? '127.0.0.1'));
        if (url.pathname !== '/mcp') {
            res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
            return;
        }
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        const body = chunks.length ? Buffer.concat(chunks) : undefined;
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
            if (Array.isArray(value)) value.forEach(v => headers.append(name, v));
            else if (value !== undefined) headers.set(name, value);
        }
        const request = new Request(url, {
            method: req.method,
            headers,
            body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
        });
        // DNS rebinding protection, as the SDK documents it: this machine's names only.
        const response =
            hostHeaderValidationResponse(request, localhostAllowedHostnames()) ??
            originValidationResponse(request, localhostAllowedOrigins()) ??
            (await handler.fetch(request));
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (response.body) {
            for await (const chunk of response.body) res.write(chunk);
        }
        res.end();
    } catch (e) {
        console.error(e);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'internal error' } }));
    }
});

listener.listen(port, '127.0.0.1', () => console.log('listening ' + listener.address().port));
for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => { listener.close(); handler.close?.(); process.exit(0); });
}
