#!/usr/bin/env python3
"""Writes queries.json for both halves from the hand-written lists and validates them
against the halves' tools.json (keys exist, no duplicates, counts per kind)."""
import json, os, sys, importlib.util, collections
here = os.path.dirname(os.path.abspath(__file__))
res = os.path.join(here, '..', '..', 'src', 'main', 'resources', 'eval-real')
KINDS = ['paraphrase', 'question', 'keyword', 'multi-step', 'ambiguous']
ok = True
ids_seen = {}
grand = collections.Counter()
for half in ['tune', 'heldout']:
    spec = importlib.util.spec_from_file_location(half, os.path.join(here, f'{half}_queries.py'))
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    tools = json.load(open(os.path.join(res, half, 'tools.json')))
    keys = {f"{s['id']}/{t['name']}" for s in tools['servers'] for t in s['tools']}
    for s in tools['servers']:
        if s['id'] in ids_seen: print('server id in both halves:', s['id']); ok = False
        ids_seen[s['id']] = half
    out, texts = [], set()
    for q, kind, rel in mod.Q:
        if kind not in KINDS: print(half, 'bad kind', kind, q); ok = False
        if q.lower() in texts: print(half, 'duplicate query', q); ok = False
        texts.add(q.lower())
        if len(set(rel)) != len(rel): print(half, 'duplicate relevant key in', q); ok = False
        rel = list(dict.fromkeys(rel))
        for k in rel:
            if k not in keys: print(half, 'unknown tool', k, 'in', q); ok = False
        if not rel: print(half, 'no relevant tools', q); ok = False
        out.append({'query': q, 'relevant': rel, 'kind': kind})
    json.dump(out, open(os.path.join(res, half, 'queries.json'), 'w'), indent=1, ensure_ascii=False)
    kinds = collections.Counter(o['kind'] for o in out)
    used = {k.split('/')[0] for o in out for k in o['relevant']}
    ntools = len(keys)
    print(f"{half}: {len(tools['servers'])} servers, {ntools} tools, {len(out)} queries "
          f"({', '.join(f'{k} {kinds[k]}' for k in KINDS)}); servers with >=1 relevant query: {len(used)}/{len(tools['servers'])}; "
          f"mean relevant/query {sum(len(o['relevant']) for o in out)/len(out):.2f}")
    unused = sorted(s['id'] for s in tools['servers'] if s['id'] not in used)
    if unused: print('  servers never relevant:', unused)
    grand.update(kinds); grand['_q'] += len(out); grand['_t'] += ntools; grand['_s'] += len(tools['servers'])
print(f"total: {grand['_s']} servers, {grand['_t']} tools, {grand['_q']} queries; per kind: " + ', '.join(f'{k} {grand[k]}' for k in KINDS))
sys.exit(0 if ok else 1)
