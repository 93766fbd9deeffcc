import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { notFound, requireNational } from '../auth/guards.server';
import { db, withTenant } from '../db.server';
import { domainError } from '../errors';
import { parseForm } from '../framework/form.server';
import { useLocale } from '../ui/localized';
import { createDraftVersion, listCatalog, retireVersion, setAdoptBy } from '../workflow/publishing/catalog.server';
import { adoptBySchema } from '../workflow/publishing/forms';
import { scrollRegion } from '../ui/table-region';
import { formatDay } from '../i18n/format';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireNational(context, request, 'publish:template:national');
  const entry = (await listCatalog(db(), { includeDrafts: true })).find((e) => e.key === params.key);
  if (!entry) notFound();
  return { entry };
}

type ActionResult = { error: string; params?: Record<string, unknown>; versionId?: string };

// The page's forms, one per version row: a new draft from it, retire it, or set its adopt-by date.
const versionForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('newDraft'), versionId: z.string() }),
  z.object({ intent: z.literal('retire'), versionId: z.string() }),
  adoptBySchema,
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const access = await requireNational(context, request, 'publish:template:national');
  const actor = { nationalTenantId: access.tenant.id, userId: access.signedIn.user.id };
  const entry = (await listCatalog(db(), { includeDrafts: true })).find((e) => e.key === params.key);
  if (!entry) notFound();
  const submission = await parseForm(request, versionForm);
  const versionId = String(submission.payload.versionId ?? '');
  // Only versions of this template, whatever the form says.
  if (!entry.versions.some((v) => v.id === versionId)) return data<ActionResult>({ error: 'catalog.errors.notPublished' }, { status: 400 });
  // The version is one of this template's: what is left to be wrong is the date.
  if (submission.status !== 'success') return data<ActionResult>({ error: 'catalog.errors.date', versionId }, { status: 400 });
  const form = submission.value;
  const inNational = <T,>(fn: Parameters<typeof withTenant<T>>[1]) => withTenant(access.tenant.id, fn, { userId: actor.userId });
  try {
    switch (form.intent) {
      case 'newDraft': {
        const row = await inNational((tx) => createDraftVersion(tx, actor, versionId));
        throw redirect(`/national/templates/${params.key}/v/${row.version}`);
      }
      case 'retire':
        await inNational((tx) => retireVersion(tx, actor, versionId));
        return { ok: true };
      case 'adoptBy':
        await inNational((tx) => setAdoptBy(tx, actor, versionId, form.adoptBy ?? null));
        return { ok: true };
    }
  } catch (error) {
    const conflict = domainError(error, 'conflict');
    if (conflict) {
      const details = (conflict.details ?? {}) as { code?: string; version?: number };
      return data<ActionResult>({ error: `catalog.errors.${details.code ?? 'notPublished'}`, params: details, versionId }, { status: 409 });
    }
    throw error;
  }
}

export default function TemplateVersions() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { entry } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | { ok: true } | undefined;
  const error = result && 'error' in result ? result : undefined;
  const title = entry.versions.find((v) => v.title)?.title;
  return (
    <>
      <p>
        <Link to="/national/templates">← {t('catalog.title')}</Link>
      </p>
      <h1>
        {title ? title[locale] : t('catalog.noTitle')} <code>{entry.key}</code>
      </h1>
      {error ? (
        <p className="alert alert--error" role="alert">
          {t(error.error, error.params ?? {})}
        </p>
      ) : null}
      <div className="table-wrap" {...scrollRegion(t('catalog.versions'))}>
        <table className="data">
          <caption className="visually-hidden">{t('catalog.versions')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('catalog.version')}</th>
              <th scope="col">{t('catalog.status')}</th>
              <th scope="col">{t('catalog.tenants')}</th>
              <th scope="col">{t('catalog.adoptBy')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('catalog.view')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entry.versions.map((v) => (
              <tr key={v.id}>
                <th scope="row">
                  <Link to={`/national/templates/${entry.key}/v/${v.version}`}>{v.version}</Link>
                </th>
                <td>
                  <span className={`tag tag--${v.status}`}>{t(`catalog.statuses.${v.status}`)}</span>
                  {v.publishedAt ? <small> {formatDay(v.publishedAt)}</small> : null}
                </td>
                <td>{v.status === 'draft' ? '—' : v.tenants}</td>
                <td>
                  {v.status === 'published' ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="adoptBy" />
                      <input type="hidden" name="versionId" value={v.id} />
                      <div className="field">
                        <label htmlFor={`adopt-by-${v.version}`}>{t('catalog.adoptBy')}</label>
                        <input
                          id={`adopt-by-${v.version}`}
                          type="date"
                          name="adoptBy"
                          defaultValue={v.adoptBy ?? ''}
                          aria-describedby={`adopt-by-help-${v.version}`}
                          aria-invalid={error?.versionId === v.id ? true : undefined}
                        />
                        <span id={`adopt-by-help-${v.version}`} className="field__help">
                          {t('catalog.adoptByHelp')}
                        </span>
                      </div>
                      <button type="submit" className="button secondary">
                        {t('catalog.setAdoptBy')}
                      </button>
                    </Form>
                  ) : (
                    (v.adoptBy ?? '—')
                  )}
                </td>
                <td>
                  <div className="actions">
                    {v.status === 'draft' ? (
                      <Link className="button" to={`/national/templates/${entry.key}/v/${v.version}`}>
                        {t('catalog.edit')}
                      </Link>
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="intent" value="newDraft" />
                        <input type="hidden" name="versionId" value={v.id} />
                        <button type="submit" className="button secondary">
                          {t('catalog.newDraft')}
                        </button>
                      </Form>
                    )}
                    {v.status === 'published' ? (
                      <details>
                        <summary>{t('catalog.retire')}</summary>
                        <Form method="post">
                          <p>{t('catalog.retireConfirm', { version: v.version })}</p>
                          <input type="hidden" name="intent" value="retire" />
                          <input type="hidden" name="versionId" value={v.id} />
                          <button type="submit" className="button secondary">
                            {t('catalog.retire')} ({t('catalog.versionN', { version: v.version })})
                          </button>
                        </Form>
                      </details>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {entry.versions.length > 1 ? (
        <Form method="get" action={`/national/templates/${entry.key}/diff`} className="card inline-form">
          <h2 className="visually-hidden">{t('catalog.compare')}</h2>
          <div className="field">
            <label htmlFor="diff-from">{t('catalog.from')}</label>
            <select id="diff-from" name="from" defaultValue={entry.versions[1].version}>
              {entry.versions.map((v) => (
                <option key={v.id} value={v.version}>
                  {v.version}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="diff-to">{t('catalog.to')}</label>
            <select id="diff-to" name="to" defaultValue={entry.versions[0].version}>
              {entry.versions.map((v) => (
                <option key={v.id} value={v.version}>
                  {v.version}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button">
            {t('catalog.compare')}
          </button>
        </Form>
      ) : null}
    </>
  );
}
