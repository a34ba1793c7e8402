// A reference MCP server built on the official TypeScript SDK v2 (@modelcontextprotocol/server, pinned in
// ../package.json), for the tests of both protocol eras: `node reference.mjs <era> [port]` serves Streamable HTTP
// at http://127.0.0.1:<port>/mcp and prints "listening <port>" once it does.
//   era "2026"  - 2026-07-28 only (stateless); a 2025-era client is refused with the SDK's own error.
//   era "dual"  - 2026-07-28, and 2025-11-25 and earlier over the SDK's stateless legacy serving.
// It serves the fixtures the conformance suite's server scenarios ask for - tools answering every content type
// (text, image, audio, embedded resource, mixed), a tool error, progress and log notifications; static text and
// binary resources and a resource template; four prompts - and get_quote (a tool with an argument, as the example
// servers have), so a check through the gateway exercises what an agent would send, not only a refusal. For
// 2026-07-28 it also serves the multi-round-trip fixtures (input_required results asking for elicitation,
// sampling and roots, with HMAC-protected request state), a tool needing a client capability, and a completion.
import http from 'node:http';
import {
    createMcpHandler,
    hostHeaderValidationResponse,
    localhostAllowedHostnames,
    localhostAllowedOrigins,
    acceptedContent,
    completable,
    createRequestStateCodec,
    fromJsonSchema,
    inputRequired,
    inputResponse,
    McpServer,
    MissingRequiredClientCapabilityError,
    originValidationResponse,
    ResourceTemplate,
} from '@modelcontextprotocol/server';
import * as z from 'zod';

const era = process.argv[2];
const port = Number(process.argv[3] ?? 0);
if (era !== '2026' && era !== 'dual') {
    console.error('usage: node reference.mjs 2026|dual [port]');
    process.exit(2);
}

// A 1x1 PNG and a minimal WAV, base64: the smallest real instances of each binary content type.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';
const text = value => ({ content: [{ type: 'text', text: value }] });
const pause = ms => new Promise(resolve => setTimeout(resolve, ms));

// Request state round-trips through the client: signed, so a tampered one is refused.
const states = createRequestStateCodec({ key: 'reference-server-test-key-0123456789abcdef' });
const CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
const ask = (message, properties) => inputRequired.elicit({
    message,
    requestedSchema: { type: 'object', properties, required: Object.keys(properties) },
});

function server() {
    const mcp = new McpServer(
        { name: 'reference-' + era, version: '2.4.0' },
        { capabilities: { logging: {}, completions: {} }, requestState: { verify: (state, ctx) => states.verify(state, ctx) } });
    mcp.registerTool('test_simple_text', { description: 'Answers with a simple text.' },
        async () => text('This is a simple text response for testing.'));
    mcp.registerTool('test_error_handling', { description: 'Always fails, as a tool error.' },
        async () => ({ isError: true, content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }] }));
    mcp.registerTool('test_image_content', { description: 'Answers with an image.' },
        async () => ({ content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] }));
    mcp.registerTool('test_audio_content', { description: 'Answers with audio.' },
        async () => ({ content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }] }));
    mcp.registerTool('test_embedded_resource', { description: 'Answers with an embedded resource.' },
        async () => ({
            content: [{
                type: 'resource',
                resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' },
            }],
        }));
    mcp.registerTool('test_multiple_content_types', { description: 'Answers with text, an image and a resource.' },
        async () => ({
            content: [
                { type: 'text', text: 'Multiple content types test:' },
                { type: 'image', data: PNG, mimeType: 'image/png' },
                {
                    type: 'resource',
                    resource: {
                        uri: 'test://mixed-content-resource',
                        mimeType: 'application/json',
                        text: JSON.stringify({ test: 'data', value: 123 }),
                    },
                },
            ],
        }));
    mcp.registerTool('test_tool_with_logging', { description: 'Logs three messages while it runs.', inputSchema: {} },
        async (_args, ctx) => {
            for (const message of ['Tool execution started', 'Tool processing data', 'Tool execution completed']) {
                await ctx.mcpReq.notify({ method: 'notifications/message', params: { level: 'info', data: message } });
                await pause(20);
            }
            return text('Tool with logging executed successfully');
        });
    mcp.registerTool('test_tool_with_progress', { description: 'Reports progress in three steps.', inputSchema: {} },
        async (_args, ctx) => {
            const progressToken = ctx.mcpReq._meta?.progressToken ?? 0;
            for (const progress of [0, 50, 100]) {
                await ctx.mcpReq.notify({
                    method: 'notifications/progress',
                    params: { progressToken, progress, total: 100, message: `Completed step ${progress} of 100` },
                });
                await pause(20);
            }
            return text(String(progressToken));
        });
    mcp.registerTool('json_schema_2020_12_tool', {
        description: 'A tool whose input schema uses JSON Schema 2020-12 ($schema, $defs, $ref).',
        inputSchema: fromJsonSchema({
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            type: 'object',
            $defs: {
                address: { $anchor: 'address', type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } },
            },
            properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
            allOf: [{ required: ['name'] }],
            if: { properties: { name: { const: 'home' } } },
            then: { required: ['address'] },
            else: { properties: { address: true } },
            additionalProperties: false,
        }),
    }, async args => text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`));
    mcp.registerTool('test_structured_content', {
        description: 'Answers with structured content beside its text.',
        outputSchema: { symbol: z.string(), price: z.number() },
    }, async () => ({
        content: [{ type: 'text', text: '{"symbol":"ACME","price":12.5}' }],
        structuredContent: { symbol: 'ACME', price: 12.5 },
    }));
    mcp.registerTool('get_quote', {
        description: 'Latest price of a stock by ticker symbol.',
        inputSchema: { symbol: z.string().describe('Ticker symbol, for example AAPL') },
    }, async ({ symbol }) => text(symbol + ': 123.45 USD'));

    registerMultiRoundTrip(mcp);

    mcp.registerResource('static-text', 'test://static-text',
        { title: 'Static Text Resource', description: 'A static text resource.', mimeType: 'text/plain' },
        async () => ({ contents: [{ uri: 'test://static-text', mimeType: 'text/plain', text: 'This is the content of the static text resource.' }] }));
    mcp.registerResource('static-binary', 'test://static-binary',
        { title: 'Static Binary Resource', description: 'A static binary resource (an image).', mimeType: 'image/png' },
        async () => ({ contents: [{ uri: 'test://static-binary', mimeType: 'image/png', blob: PNG }] }));
    mcp.registerResource('template', new ResourceTemplate('test://template/{id}/data', { list: undefined }),
        { title: 'Resource Template', description: 'Data by id.', mimeType: 'application/json' },
        async (uri, { id }) => ({
            contents: [{
                uri: uri.toString(),
                mimeType: 'application/json',
                text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
            }],
        }));

    mcp.registerPrompt('test_simple_prompt', { title: 'Simple Test Prompt', description: 'A prompt without arguments.' },
        async () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }] }));
    mcp.registerPrompt('test_prompt_with_arguments', {
        title: 'Prompt With Arguments',
        description: 'A prompt with two required arguments.',
        argsSchema: z.object({
            arg1: completable(z.string().describe('First test argument'), value => ['alpha', 'beta'].filter(v => v.startsWith(value))),
            arg2: z.string().describe('Second test argument'),
        }),
    }, async ({ arg1, arg2 }) => ({
        messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }],
    }));
    mcp.registerPrompt('test_prompt_with_embedded_resource', {
        title: 'Prompt With Embedded Resource',
        description: 'A prompt embedding a resource.',
        argsSchema: z.object({ resourceUri: z.string().describe('URI of the resource to embed') }),
    }, async ({ resourceUri }) => ({
        messages: [
            { role: 'user', content: { type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
            { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
        ],
    }));
    mcp.registerPrompt('test_prompt_with_image', { title: 'Prompt With Image', description: 'A prompt with an image.' },
        async () => ({
            messages: [
                { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
                { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
            ],
        }));
    return mcp;
}

// The 2026-07-28 multi-round-trip fixtures: a handler answers input_required until the client retries with the
// responses it asked for.
function registerMultiRoundTrip(mcp) {
    const tool = (name, description, handler) => mcp.registerTool(name, { description, inputSchema: {} }, handler);
    tool('test_input_required_result_elicitation', 'Asks for a name, then greets.', async (_args, ctx) => {
        const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_name');
        if (answer) return text(`Hello, ${answer.name}!`);
        return inputRequired({ inputRequests: { user_name: ask('What is your name?', { name: { type: 'string' } }) } });
    });
    tool('test_input_required_result_sampling', 'Asks the client to sample a model.', async (_args, ctx) => {
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'sample_request');
        if (answer.kind === 'sampling') return text(`Sampling result: ${answer.result.content?.text ?? 'no response'}`);
        return inputRequired({
            inputRequests: {
                sample_request: inputRequired.createMessage({
                    messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
                    maxTokens: 100,
                }),
            },
        });
    });
    tool('test_input_required_result_list_roots', 'Asks the client for its roots.', async (_args, ctx) => {
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'roots_request');
        if (answer.kind === 'roots') return text(`Found ${answer.roots.length} root(s)`);
        return inputRequired({ inputRequests: { roots_request: inputRequired.listRoots() } });
    });
    tool('test_input_required_result_request_state', 'Asks for a confirmation, keeping state.', async (_args, ctx) => {
        const state = ctx.mcpReq.requestState();
        const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm');
        if (state?.kind === 'request-state' && answer?.ok === true) return text('state-ok: requestState validated');
        return inputRequired({
            inputRequests: { confirm: ask('Please confirm', { ok: { type: 'boolean' } }) },
            requestState: await states.mint({ kind: 'request-state' }, ctx),
        });
    });
    tool('test_input_required_result_multiple_inputs', 'Asks for a name, a greeting and the roots at once.', async (_args, ctx) => {
        const responses = ctx.mcpReq.inputResponses;
        const name = acceptedContent(responses, 'user_name');
        const greeting = inputResponse(responses, 'greeting');
        const roots = inputResponse(responses, 'client_roots');
        if (ctx.mcpReq.requestState()?.kind === 'multiple-inputs' && name && greeting.kind === 'sampling' && roots.kind === 'roots') {
            return text(`Name: ${name.name}; Greeting: ${greeting.result.content?.text}; Roots: ${roots.roots.length}`);
        }
        return inputRequired({
            inputRequests: {
                user_name: ask('What is your name?', { name: { type: 'string' } }),
                greeting: inputRequired.createMessage({
                    messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
                    maxTokens: 50,
                }),
                client_roots: inputRequired.listRoots(),
            },
            requestState: await states.mint({ kind: 'multiple-inputs' }, ctx),
        });
    });
    tool('test_input_required_result_multi_round', 'Asks for a name, then a colour, then answers.', async (_args, ctx) => {
        const state = ctx.mcpReq.requestState();
        const responses = ctx.mcpReq.inputResponses;
        if (state?.round === 1 && acceptedContent(responses, 'step1')) {
            return inputRequired({
                inputRequests: { step2: ask('Step 2: What is your favorite color?', { color: { type: 'string' } }) },
                requestState: await states.mint({ round: 2, name: acceptedContent(responses, 'step1').name }, ctx),
            });
        }
        if (state?.round === 2 && acceptedContent(responses, 'step2')) {
            return text(`Multi-round complete for ${state.name} who likes ${acceptedContent(responses, 'step2').color}`);
        }
        return inputRequired({
            inputRequests: { step1: ask('Step 1: What is your name?', { name: { type: 'string' } }) },
            requestState: await states.mint({ round: 1 }, ctx),
        });
    });
    tool('test_input_required_result_tampered_state', 'Keeps signed state; a tampered one is refused.', async (_args, ctx) => {
        if (ctx.mcpReq.requestState()?.kind === 'tamper-check' && acceptedContent(ctx.mcpReq.inputResponses, 'confirm')) {
            return text('state verified');
        }
        return inputRequired({
            inputRequests: { confirm: ask('Please confirm', { ok: { type: 'boolean' } }) },
            requestState: await states.mint({ kind: 'tamper-check' }, ctx),
        });
    });
    tool('test_input_required_result_capabilities', 'Asks only for what the client declared it can do.', async (_args, ctx) => {
        const declared = ctx.mcpReq.envelope?.[CLIENT_CAPABILITIES] ?? {};
        const inputRequests = {};
        if (declared.elicitation) inputRequests.user_name = ask('What is your name?', { name: { type: 'string' } });
        if (declared.sampling) {
            inputRequests.sample_request = inputRequired.createMessage({
                messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }],
                maxTokens: 20,
            });
        }
        if (declared.roots) inputRequests.roots_request = inputRequired.listRoots();
        if (Object.keys(inputRequests).length === 0) return text('nothing to ask this client');
        return inputRequired({ inputRequests });
    });
    tool('test_missing_capability', 'Needs the client to declare sampling.', async () => text('the client declared sampling'));
    tool('test_streaming_elicitation', 'Asks for input on its response stream.', async (_args, ctx) => {
        await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: ctx.mcpReq.id, progress: 1 } });
        const answer = acceptedContent(ctx.mcpReq.inputResponses, 'answer');
        if (answer) return text(`answered ${answer.value}`);
        return inputRequired({ inputRequests: { answer: ask('Anything?', { value: { type: 'string' } }) } });
    });
    tool('test_logging_tool', 'Logs at info while it runs.', async (_args, ctx) => {
        await ctx.mcpReq.log('info', 'logging tool ran');
        return text('logged');
    });
    mcp.registerPrompt('test_input_required_result_prompt', { description: 'Asks for context, then answers.' }, async (ctx) => {
        const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_context');
        if (answer) return { messages: [{ role: 'user', content: { type: 'text', text: `Prompt with context: ${answer.context}` } }] };
        return inputRequired({
            inputRequests: { user_context: ask('What context should the prompt use?', { context: { type: 'string' } }) },
        });
    });
}

const handler = createMcpHandler(() => server(), { legacy: era === 'dual' ? 'stateless' : 'reject' });

// test_missing_capability needs the client to declare sampling. A tool handler's exception becomes a tool error
// (isError), but refusing for a missing client capability is a protocol error (-32021, HTTP 400), so it is
// decided here, in front of the SDK.
function missingCapabilityResponse(body) {
    let message;
    try {
        message = JSON.parse(body?.toString('utf8') ?? '');
    } catch {
        return undefined;
    }
    if (message?.method !== 'tools/call' || message.params?.name !== 'test_missing_capability') return undefined;
    const meta = message.params._meta ?? {};
    if (meta['io.modelcontextprotocol/protocolVersion'] === undefined || meta[CLIENT_CAPABILITIES]?.sampling) return undefined;
    const error = new MissingRequiredClientCapabilityError({ requiredCapabilities: { sampling: {} } });
    return new Response(
        JSON.stringify({ jsonrpc: '2.0', id: message.id ?? null, error: { code: error.code, message: error.message, data: error.data } }),
        { status: 400, headers: { 'content-type': 'application/json' } });
}

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
            missingCapabilityResponse(body) ??
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
