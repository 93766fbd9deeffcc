import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { TemplateDiff } from '../ui/template-diff';
import type { TemplateChange } from '../workflow/template/diff';
import { diffLoader } from './national.templates.$key.diff.server';

export const meta: MetaFunction = () => [{ title: 'Delovod' }];

export const loader = (args: LoaderFunctionArgs) => diffLoader(args);

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
