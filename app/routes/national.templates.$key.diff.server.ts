// The diff between two versions of a template: loading and comparing them (kept server-side so
// the rule library and the expression engine stay out of the page's bundle).
import type { LoaderFunctionArgs } from '@remix-run/node';
import { notFound, requireNational } from '../auth/guards.server';
import { db } from '../db.server';
import { findVersion, listCatalog } from '../workflow/publishing/catalog.server';
import { diffTemplates } from '../workflow/template/diff';
import { templateVersionSchema } from '../workflow/template/schema';

const versionParam = (v: string | null) => (v && /^[1-9][0-9]{0,5}$/.test(v) ? Number(v) : undefined);

export async function diffLoader({ request, context, params }: LoaderFunctionArgs) {
  await requireNational(context, request, 'publish:template:national');
  const entry = (await listCatalog(db(), { includeDrafts: true })).find((e) => e.key === params.key);
  if (!entry) notFound();
  const url = new URL(request.url);
  const from = versionParam(url.searchParams.get('from'));
  const to = versionParam(url.searchParams.get('to'));
  const versions = entry.versions.map((v) => ({ version: v.version, status: v.status })).sort((a, b) => a.version - b.version);
  const title = entry.versions.find((v) => v.title)?.title?.[context.locale] ?? null;
  const base = { key: entry.key, title, versions, from, to };
  if (from === undefined || to === undefined || !versions.some((v) => v.version === from) || !versions.some((v) => v.version === to)) {
    return { ...base, result: { kind: 'choose' as const } };
  }
  const [a, b] = await Promise.all([findVersion(db(), entry.key, from), findVersion(db(), entry.key, to)]);
  const parsedA = templateVersionSchema.safeParse(a?.definition);
  const parsedB = templateVersionSchema.safeParse(b?.definition);
  // A draft may be unfinished; comparing half a definition would mislead.
  if (!parsedA.success) return { ...base, result: { kind: 'incomplete' as const, version: from } };
  if (!parsedB.success) return { ...base, result: { kind: 'incomplete' as const, version: to } };
  return { ...base, result: { kind: 'diff' as const, changes: diffTemplates(parsedA.data, parsedB.data) } };
}
