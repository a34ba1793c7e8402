#!/usr/bin/env node
// Lists the tools of every MCP server in servers.json over stdio with the official SDK client
// and writes the eval-real tools files (one per split).
//
//   npm ci && node list-tools.mjs                 # rebuild both tools.json files
//   node list-tools.mjs --only github,slack       # probe a few servers, print a summary only
//   node list-tools.mjs --all-candidates          # also probe servers marked "dropped"
//
// Servers get a minimal environment (PATH, HOME, the dummy keys in servers.json) and never
// a real credential. Each server has a per-server timeout; a server that fails is reported
// and left out of the output.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cfg = JSON.parse(fs.readFileSync(path.join(here, 'servers.json'), 'utf8'));
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const only = opt('--only') ? new Set(opt('--only').split(',')) : null;
const allCandidates = args.includes('--all-candidates');
const timeoutMs = Number(opt('--timeout') || cfg.timeoutMs || 30000);
const concurrency = Number(opt('--concurrency') || 2);
const outRoot = path.resolve(here, opt('--out') || cfg.outDir || '../src/main/resources/eval-real');
const scratch = path.join(here, '.scratch');
const logDir = path.join(scratch, 'logs');
fs.mkdirSync(logDir, { recursive: true });
fs.mkdirSync(path.join(scratch, 'work'), { recursive: true });

function binPath(pkg, bin) {
  const pj = JSON.parse(fs.readFileSync(path.join(here, 'node_modules', pkg, 'package.json'), 'utf8'));
  let rel;
  if (typeof pj.bin === 'string') rel = pj.bin;
  else if (pj.bin && bin) rel = pj.bin[bin];
  else if (pj.bin) rel = Object.values(pj.bin)[0];
  if (!rel) throw new Error(`no bin in ${pkg}`);
  return { file: path.join(here, 'node_modules', pkg, rel), version: pj.version };
}

function subst(s) {
  return String(s).replaceAll('${SCRATCH}', path.join(scratch, 'work')).replaceAll('${HERE}', here);
}

async function listOne(s) {
  // Some servers refuse to start without a credentials file: give them a dummy one.
  for (const [name, content] of Object.entries(s.dummyFiles || {})) {
    fs.writeFileSync(path.join(scratch, 'work', name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  const { file, version } = binPath(s.package, s.bin);
  if (version !== s.version) throw new Error(`installed ${s.package}@${version}, servers.json wants ${s.version}`);
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    ...cfg.commonEnv,
    ...(s.env || {}),
  };
  for (const k of Object.keys(env)) env[k] = subst(env[k]);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [file, ...(s.args || []).map(subst)],
    env,
    cwd: path.join(scratch, 'work'),
    stderr: 'pipe',
  });
  const log = fs.createWriteStream(path.join(logDir, `${s.id}.stderr.log`));
  transport.stderr?.on('data', (d) => log.write(d));
  const client = new Client({ name: 'eval-real-lister', version: '1.0.0' });
  let timer;
  const timeout = new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs); });
  try {
    const work = (async () => {
      await client.connect(transport);
      const tools = [];
      let cursor;
      do {
        const r = await client.listTools(cursor ? { cursor } : {});
        tools.push(...r.tools);
        cursor = r.nextCursor;
      } while (cursor);
      return tools;
    })();
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    try { await client.close(); } catch {}
    try { await transport.close(); } catch {}
    log.end();
  }
}

const selected = cfg.servers.filter((s) => (only ? only.has(s.id) : (allCandidates || !s.dropped)));
const results = new Map();
let next = 0;
async function worker() {
  while (next < selected.length) {
    const s = selected[next++];
    const t0 = Date.now();
    try {
      const tools = await listOne(s);
      results.set(s.id, { tools });
      console.log(`ok   ${s.id.padEnd(16)} ${String(tools.length).padStart(3)} tools  ${Date.now() - t0} ms`);
    } catch (e) {
      results.set(s.id, { error: String(e && e.message || e) });
      console.log(`FAIL ${s.id.padEnd(16)} ${String(e && e.message || e).split('\n')[0].slice(0, 160)}`);
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));

fs.writeFileSync(path.join(scratch, 'probe.json'), JSON.stringify(Object.fromEntries(results), null, 1));

if (only || allCandidates) {
  console.log('probe only: raw results in .scratch/probe.json, tools files not written');
  process.exit(0);
}

const failed = selected.filter((s) => results.get(s.id)?.error);
if (failed.length) {
  console.error(`\n${failed.length} server(s) failed: ${failed.map((s) => s.id).join(', ')}; tools files not written`);
  process.exit(1);
}
for (const split of ['tune', 'heldout']) {
  const servers = selected.filter((s) => s.split === split).map((s) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    tags: s.tags,
    package: s.package,
    version: s.version,
    // title and annotations as the server sent them (absent when it sent none)
    tools: results.get(s.id).tools.map((t) => ({
      name: t.name,
      ...(t.title ? { title: t.title } : {}),
      description: t.description ?? '',
      input_schema: t.inputSchema,
      ...(t.annotations ? { annotations: t.annotations } : {}),
    })),
  }));
  const dir = path.join(outRoot, split);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'tools.json'), JSON.stringify({ servers }, null, 2) + '\n');
  const n = servers.reduce((a, s) => a + s.tools.length, 0);
  console.log(`${split}: ${servers.length} servers, ${n} tools -> ${path.relative(here, path.join(dir, 'tools.json'))}`);
}
process.exit(0);
