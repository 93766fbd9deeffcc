// What the browser's scripts are made of, read from the client build's esbuild metafile
// (`npm run build`): no server code reaches them, and a page loads only what it uses.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

interface Metafile {
  outputs: Record<string, { bytes: number; entryPoint?: string; imports: Array<{ path: string; kind: string }>; inputs: Record<string, { bytesInOutput: number }> }>;
}

function metafile(): Metafile {
  const file = `${root}build/metafile.js.json`;
  if (!existsSync(file)) throw new Error('Run `npm run build` before this test: it reads the client build.');
  return JSON.parse(readFileSync(file, 'utf8')) as Metafile;
}

/** The source files with code in these browser scripts (all of them by default). */
function shipped(meta: Metafile, outputs: Iterable<string> = Object.keys(meta.outputs)): Set<string> {
  const files = new Set<string>();
  for (const path of outputs) for (const [input, { bytesInOutput }] of Object.entries(meta.outputs[path]?.inputs ?? {})) if (bytesInOutput > 0) files.add(input);
  return files;
}

/** The route ids a page's URL matches, from the root down (the client manifest's parents). */
function matched(routeId: string): string[] {
  const dir = `${root}public/build`;
  const file = readdirSync(dir).find((f) => /^manifest-\w+\.js$/.test(f));
  if (!file) throw new Error('Run `npm run build` before this test: it reads the client build.');
  const manifest = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8').replace(/^window\.__remixManifest=/, '').replace(/;$/, '')) as { routes: Record<string, { parentId?: string }> };
  const ids: string[] = [];
  for (let id: string | undefined = routeId; id; id = manifest.routes[id]?.parentId) ids.unshift(id);
  expect(ids[0], routeId).toBe('root');
  return ids;
}

/** The source files a page's scripts hold: the client entry's and every matched route's module, with the chunks they import. */
function page(meta: Metafile, routeId: string): Set<string> {
  const wanted = ['app/entry.client.tsx', ...matched(routeId).map((id) => `browser-route-module:${id}.tsx?browser`)];
  const entries = Object.entries(meta.outputs).filter(([, o]) => o.entryPoint && wanted.includes(o.entryPoint));
  expect(entries.map(([, o]) => o.entryPoint).sort(), routeId).toEqual([...wanted].sort());
  const outputs = new Set<string>();
  const visit = (path: string) => {
    if (outputs.has(path)) return;
    outputs.add(path);
    for (const i of meta.outputs[path]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
  };
  for (const [path] of entries) visit(path);
  return shipped(meta, outputs);
}

describe('the browser’s scripts', () => {
  it('hold no server code: no db/, tenants/ or jobs/ module (but the plain vocabulary), no *.server module, no server library', () => {
    const serverLibraries = /node_modules\/(drizzle-orm|postgres|@electric-sql\/pglite|pino|bullmq|ioredis|nodemailer|mailparser|node-forge|@node-rs\/argon2|argon2|lucia|@lucia-auth|pdf-lib|@pdf-lib|@signpdf|express)\//;
    const server = [...shipped(metafile())].filter(
      (f) => (/^(db|tenants|jobs)\//.test(f) && f !== 'db/vocabulary.ts') || /\.server\.tsx?$/.test(f) || serverLibraries.test(f) || f.startsWith('node-modules-polyfills'),
    );
    expect(server).toEqual([]);
  });

  it('tell zod, on every page, not to compile parsers (the Content-Security-Policy forbids eval)', () => {
    expect(page(metafile(), 'routes/_index').has('app/ui/zod-in-browser.ts')).toBe(true);
  });

  it('carry none of zod’s languages but the one it starts with (the app translates its own messages)', () => {
    const locales = [...shipped(metafile())].filter((f) => f.includes('node_modules/zod/v4/locales/') && !f.endsWith('/en.js') && !f.endsWith('/index.js'));
    expect(locales).toEqual([]);
  });

  it('give a page only what it uses: the inbox and one’s documents load no mathjs, and the inbox none of zod’s schemas', () => {
    const meta = metafile();
    const inbox = [...page(meta, 'routes/t.$tenant.inbox')];
    const documents = [...page(meta, 'routes/t.$tenant.documents._index')];
    const card = [...page(meta, 'routes/t.$tenant.documents.$id')];
    expect(inbox.filter((f) => f.includes('node_modules/mathjs/'))).toEqual([]);
    expect(documents.filter((f) => f.includes('node_modules/mathjs/'))).toEqual([]);
    expect(inbox.filter((f) => f.includes('node_modules/zod/v4/classic/'))).toEqual([]);
    // The card computes its amounts as they are typed: it does load them (the check above can fail).
    expect(card.some((f) => f.includes('node_modules/mathjs/'))).toBe(true);
    expect(card.some((f) => f.includes('node_modules/zod/v4/classic/'))).toBe(true);
  });
});
