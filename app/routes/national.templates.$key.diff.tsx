import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { notFound, requireNational } from '../auth/guards.server';
import { db } from '../db.server';
import { TemplateDiff } from '../ui/template-diff';
import { listCatalog, findVersion } from '../workflow/publishing/catalog.server';
import { diffTemplates, type TemplateChange } from '../workflow/template/diff';
import { templateVersionSchema } from '../workflow/template/schema';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

const versionParam = (v: string | null) => (v && /^[1-9][0-9]{0,5}$/.test(v) ? Number(v) : undefined);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
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

export default function TemplateVersionDiff() {
  const { t } = useTranslation();
  const { key, title, versions, from, to, result } = useLoaderData<typeof loader>();
  const options = versions.map((v) => (
    <option key={v.version} value={v.version}>
      {t('catalog.versionN', { version: v.version })} — {t(`catalog.statuses.${v.status}`)}
    </option>
  ));
  return (
    <>
      <p>
        <Link to={`/national/templates/${key}`}>← {t('catalog.diff.back')}</Link>
      </p>
      <h1>{result.kind === 'diff' ? t('catalog.diff.heading', { from, to }) : t('catalog.diff.title')}</h1>
      {title ? <p className="lead">{t('catalog.diff.lead', { title })}</p> : null}
      <Form method="get" className="inline-form card" aria-label={t('catalog.compare')}>
        <div className="field">
          <label htmlFor="diff-from">{t('catalog.from')}</label>
          <select id="diff-from" name="from" defaultValue={from ?? versions[0]?.version}>
            {options}
          </select>
        </div>
        <div className="field">
          <label htmlFor="diff-to">{t('catalog.to')}</label>
          <select id="diff-to" name="to" defaultValue={to ?? versions[versions.length - 1]?.version}>
            {options}
          </select>
        </div>
        <button type="submit" className="primary">
          {t('catalog.show')}
        </button>
      </Form>
      {result.kind === 'choose' ? <p>{t('catalog.diff.missingVersion')}</p> : null}
      {result.kind === 'incomplete' ? (
        <p className="alert alert--error" role="alert">
          {t('catalog.diff.notComparable', { version: result.version })}
        </p>
      ) : null}
      {result.kind === 'diff' ? <TemplateDiff changes={result.changes as TemplateChange[]} /> : null}
    </>
  );
}
