// npm run graph: the imports between the bounded contexts of scripts/import-graph/contexts.mjs,
// as dependency-cruiser reads them from the tree, written to docs/architecture/contexts.dot and
// contexts.txt (one line per pair of contexts with how many imports it carries; a back-edge,
// from a context to one above it, is marked). Imports of feature texts are left out, as the rule does.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { contexts, texts } from './contexts.mjs';

const isTexts = new RegExp(texts);
const matchers = contexts.map((c) => ({ name: c.name, path: new RegExp(c.path) }));
const contextOf = (file: string) => matchers.find((c) => c.path.test(file))?.name;
const rank = new Map(contexts.map((c, i) => [c.name, i]));

const cruised: { modules: { source: string; dependencies: { resolved: string; coreModule: boolean; couldNotResolve: boolean }[] }[] } = JSON.parse(
  execFileSync('node_modules/.bin/depcruise', ['app', 'db', 'jobs', 'tenants', '--config', '.dependency-cruiser.mjs', '--output-type', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
);

const edges = new Map<string, number>();
for (const module of cruised.modules) {
  const from = contextOf(module.source);
  for (const dependency of module.dependencies) {
    const to = contextOf(dependency.resolved);
    if (!from || !to || from === to || isTexts.test(dependency.resolved)) continue;
    const key = `${from} ${to}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
  }
}

const sorted = [...edges].map(([key, count]) => ({ from: key.split(' ')[0], to: key.split(' ')[1], count })).sort((a, b) => rank.get(b.from)! - rank.get(a.from)! || rank.get(b.to)! - rank.get(a.to)!);
const back = (e: { from: string; to: string }) => rank.get(e.to)! > rank.get(e.from)!;

const text = [
  `# Imports between contexts (npm run graph); contexts from the top down: ${[...contexts].reverse().map((c) => c.name).join(' > ')}`,
  ...sorted.map((e) => `${e.from} -> ${e.to} (${e.count})${back(e) ? '  BACK-EDGE' : ''}`),
  '',
].join('\n');
const dot = [
  'digraph contexts {',
  '  rankdir=BT; node [shape=box, fontname="sans-serif"];',
  ...sorted.map((e) => `  "${e.from}" -> "${e.to}" [label="${e.count}"${back(e) ? ', color=red, fontcolor=red' : ''}];`),
  '}',
  '',
].join('\n');
writeFileSync('docs/architecture/contexts.txt', text);
writeFileSync('docs/architecture/contexts.dot', dot);
process.stdout.write(text);
