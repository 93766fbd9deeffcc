import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { RowAction } from '../ui/row-action';
import { parseFields } from '../framework/form.server';
import { apiScopes } from '#db/vocabulary';
import { activeMembers, addApiClient, clientForm, clientFormValues, listApiClients, revokeApiClient } from '../api/clients.server';
import { IntegrationNav } from '../api/integration-nav';
import { scopeKey } from '../api/texts';
import { readAsMember, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { AdminNav } from '../onboarding/ui';
import { ErrorSummary, Field } from '../ui/field';
import { scrollRegion } from '../ui/table-region';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { access, data: page } = await readAsMember(context, request, params.tenant, 'manage:settings:tenant', async (tx, me) => {
    const [clients, members] = await Promise.all([listApiClients(tx, me.tenantId), activeMembers(tx, me.tenantId)]);
    return { clients, members };
  });
  const now = Date.now();
  return {
    slug: access.tenant.slug,
    me: access.membership.id,
    members: page.members,
    clients: page.clients.map((c) => ({
      id: c.id,
      name: c.name,
      scopes: c.scopes,
      actsAs: c.actsAs,
      rateLimitPerMinute: c.rateLimitPerMinute,
      expiresOn: c.expiresAt ? new Date(c.expiresAt.getTime() - 86_400_000).toISOString().slice(0, 10) : null,
      lastUsed: c.lastUsedAt ? c.lastUsedAt.toISOString().slice(0, 16).replace('T', ' ') : null,
      status: c.revokedAt ? ('revoked' as const) : c.expiresAt && c.expiresAt.getTime() <= now ? ('expired' as const) : ('active' as const),
    })),
  };
}

type Values = ReturnType<typeof clientFormValues>;
type ActionData = { kind: 'invalid'; errors: Record<string, string[]>; values: Values } | { kind: 'created'; name: string; token: string };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const access = await requireTenantMember(context, request, params.tenant, 'manage:settings:tenant');
  const actor = { tenantId: access.tenant.id, userId: access.signedIn.user.id, membershipId: access.membership.id, ip: context.ip, userAgent: context.userAgent };
  const inTenant = <T,>(fn: Parameters<typeof withTenant<T>>[1]) => withTenant(access.tenant.id, fn, { userId: actor.userId });
  const { fields, result: parsed } = await parseFields(request, clientForm);
  const values = clientFormValues(fields);
  // Only the new client's fields can be wrong (a row's button has none): they go beside the fields.
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (errors[String(issue.path[0])] ??= []).push(issue.message);
    return data<ActionData>({ kind: 'invalid', errors, values }, { status: 400 });
  }
  if (parsed.data.intent === 'revoke') {
    const { id } = parsed.data;
    const done = id !== null && (await inTenant((tx) => revokeApiClient(tx, actor, id)));
    if (!done) throw new Response('Not Found', { status: 404 });
    throw redirect(`/t/${access.tenant.slug}/admin/api?notice=revoked`);
  }
  const { intent: _create, ...client } = parsed.data;
  const created = await inTenant((tx) => addApiClient(tx, actor, client));
  if (!created) return data<ActionData>({ kind: 'invalid', errors: { membershipId: ['api.clients.errors.actsAs'] }, values }, { status: 400 });
  // The token is in this answer only: no redirect, nothing stored that could show it again.
  return data<ActionData>({ kind: 'created', name: client.name, token: created.token }, { headers: { 'Cache-Control': 'no-store' } });
}

const fieldIds = { name: 'client-name', scopes: 'client-scopes', membershipId: 'client-acts-as', expiresOn: 'client-expires', rateLimitPerMinute: 'client-rate' } as const;

export default function ApiClients() {
  const { t } = useTranslation();
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const invalid = result?.kind === 'invalid' ? result : undefined;
  const errors = (name: keyof typeof fieldIds) => invalid?.errors[name]?.map((k) => t(k));
  const typed = invalid?.values;
  const labels = { name: t('api.clients.name'), scopes: t('api.clients.scopes'), membershipId: t('api.clients.actsAs'), expiresOn: t('api.clients.expiresOn'), rateLimitPerMinute: t('api.clients.rateLimit') };
  const summary = invalid
    ? (Object.keys(fieldIds) as (keyof typeof fieldIds)[]).filter((k) => invalid.errors[k]).map((k) => ({ href: `#${fieldIds[k]}`, text: `${labels[k]}: ${t(invalid.errors[k]![0])}` }))
    : [];
  return (
    <>
      <AdminNav slug={page.slug} />
      <IntegrationNav slug={page.slug} />
      <h1>{t('api.clients.title')}</h1>
      <p className="lead">{t('api.clients.lead')}</p>
      <p>
        <Link to="/api/v1/reference">{t('api.clients.reference')}</Link>
      </p>
      {params.get('notice') === 'revoked' ? (
        <p className="alert alert--ok" role="status">
          {t('api.clients.revokedNotice')}
        </p>
      ) : null}
      {result?.kind === 'created' ? (
        <section className="alert alert--ok" role="status" aria-labelledby="created-title">
          <h2 id="created-title">{t('api.clients.createdTitle', { name: result.name })}</h2>
          <p>{t('api.clients.createdLead')}</p>
          <label htmlFor="created-token">{t('api.clients.token')}</label>
          <input id="created-token" type="text" readOnly value={result.token} />
        </section>
      ) : null}
      {page.clients.length ? (
        <div className="table-wrap" {...scrollRegion(t('api.clients.title'))}>
          <table className="data">
            <caption className="visually-hidden">{t('api.clients.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('api.clients.name')}</th>
                <th scope="col">{t('api.clients.scopes')}</th>
                <th scope="col">{t('api.clients.actsAs')}</th>
                <th scope="col">{t('api.clients.expiresOn')}</th>
                <th scope="col">{t('api.clients.lastUsed')}</th>
                <th scope="col">{t('api.clients.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('api.clients.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.clients.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>
                    <ul className="plain">
                      {c.scopes.map((s) => (
                        <li key={s}>{t(scopeKey(s))}</li>
                      ))}
                    </ul>
                  </td>
                  <td>{c.actsAs}</td>
                  <td className="nowrap">{c.expiresOn ?? '—'}</td>
                  <td className="nowrap">{c.lastUsed ?? t('api.clients.never')}</td>
                  <td>{t(`api.clients.${c.status}`)}</td>
                  <td>
                    {c.status === 'revoked' ? null : (
                      <RowAction id={c.id} intent="revoke" label={t('api.clients.revoke')} named={t('api.clients.revokeNamed', { name: c.name })} danger />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="card">{t('api.clients.none')}</p>
      )}
      <section className="card" aria-labelledby="new-client">
        <h2 id="new-client">{t('api.clients.create')}</h2>
        <ErrorSummary title={t('form.errorSummary')} messages={summary} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="create" />
          <Field id={fieldIds.name} label={labels.name} help={t('api.clients.nameHelp')} errors={errors('name')}>
            {(aria) => <input {...aria} name="name" type="text" maxLength={100} required defaultValue={typed?.name ?? ''} />}
          </Field>
          <fieldset className="field checkbox-group" id={fieldIds.scopes} tabIndex={-1} aria-describedby={errors('scopes') ? `${fieldIds.scopes}-error` : undefined}>
            <legend>{labels.scopes}</legend>
            {errors('scopes') ? (
              <span id={`${fieldIds.scopes}-error`} className="field__error">
                {errors('scopes')!.join(' ')}
              </span>
            ) : null}
            {apiScopes.map((s) => (
              <div className="field--checkbox" key={s}>
                <input type="checkbox" id={`scope-${s.replace(':', '-')}`} name="scopes" value={s} defaultChecked={typed?.scopes.includes(s) ?? false} />
                <label htmlFor={`scope-${s.replace(':', '-')}`}>{t(scopeKey(s))}</label>
              </div>
            ))}
          </fieldset>
          <Field id={fieldIds.membershipId} label={labels.membershipId} help={t('api.clients.actsAsHelp')} errors={errors('membershipId')}>
            {(aria) => (
              <select {...aria} name="membershipId" defaultValue={typed?.membershipId ?? page.me}>
                {page.members.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.fullName}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={fieldIds.expiresOn} label={labels.expiresOn} help={t('api.clients.expiresOnHelp')} errors={errors('expiresOn')}>
            {(aria) => <input {...aria} name="expiresOn" type="date" defaultValue={typed?.expiresOn ?? ''} />}
          </Field>
          <Field id={fieldIds.rateLimitPerMinute} label={labels.rateLimitPerMinute} help={t('api.clients.rateLimitHelp')} errors={errors('rateLimitPerMinute')}>
            {(aria) => <input {...aria} name="rateLimitPerMinute" type="number" min={1} max={10000} step={1} required defaultValue={typed?.rateLimitPerMinute ?? '120'} />}
          </Field>
          <button type="submit" className="primary">
            {t('api.clients.create')}
          </button>
        </Form>
      </section>
    </>
  );
}
