import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { RowAction } from '../ui/row-action';
import { parseFields } from '../framework/form.server';
import { webhookEventTypes } from '#db/vocabulary';
import { IntegrationNav } from '../api/integration-nav';
import { eventKey } from '../api/texts';
import { recentDeliveries, redeliver } from '../api/webhooks/events.server';
import { activeSubscriptions, addressProblem, addSubscription, removeSubscription, subscriptionForm, subscriptionFormValues } from '../api/webhooks/subscriptions.server';
import { readAsMember, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { AdminNav } from '../onboarding/ui';
import { ErrorSummary, Field } from '../ui/field';
import { scrollRegion } from '../ui/table-region';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { access, data: page } = await readAsMember(context, request, params.tenant, 'manage:settings:tenant', async (tx, me) => {
    const [subscriptions, deliveries] = await Promise.all([activeSubscriptions(tx, me.tenantId), recentDeliveries(tx, me.tenantId)]);
    return { subscriptions, deliveries };
  });
  const minute = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
  return {
    slug: access.tenant.slug,
    subscriptions: page.subscriptions.map((s) => ({ id: s.id, url: s.url, events: s.events })),
    deliveries: page.deliveries.map((d) => ({ ...d, createdAt: minute(d.createdAt) })),
  };
}

type Values = ReturnType<typeof subscriptionFormValues>;
type ActionData = { kind: 'invalid'; errors: Record<string, string[]>; values: Values } | { kind: 'created'; secret: string };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const access = await requireTenantMember(context, request, params.tenant, 'manage:settings:tenant');
  const actor = { tenantId: access.tenant.id, userId: access.signedIn.user.id, membershipId: access.membership.id, ip: context.ip, userAgent: context.userAgent };
  const inTenant = <T,>(fn: Parameters<typeof withTenant<T>>[1]) => withTenant(access.tenant.id, fn, { userId: actor.userId });
  const back = (notice: string) => redirect(`/t/${access.tenant.slug}/admin/webhooks?notice=${notice}`);
  const { fields, result: parsed } = await parseFields(request, subscriptionForm);
  const values = subscriptionFormValues(fields);
  if (parsed.success && parsed.data.intent !== 'create') {
    const { intent, id } = parsed.data;
    const done = id !== null && (await inTenant((tx) => (intent === 'remove' ? removeSubscription(tx, actor, id) : redeliver(tx, actor.tenantId, id))));
    if (!done) throw new Response('Not Found', { status: 404 });
    throw back(intent === 'remove' ? 'removed' : 'redelivered');
  }
  const errors: Record<string, string[]> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) (errors[String(issue.path[0])] ??= []).push(issue.message);
  const subscription = parsed.success && parsed.data.intent === 'create' ? { url: parsed.data.url, events: parsed.data.events } : null;
  // The address is resolved now too: one that leads inside is refused beside the field.
  const blocked = subscription ? await addressProblem(subscription.url) : null;
  if (blocked) errors.url = [blocked];
  if (!subscription || blocked) return data<ActionData>({ kind: 'invalid', errors, values }, { status: 400 });
  const created = await inTenant((tx) => addSubscription(tx, actor, subscription));
  return data<ActionData>({ kind: 'created', secret: created.secret }, { headers: { 'Cache-Control': 'no-store' } });
}

const fieldIds = { url: 'webhook-url', events: 'webhook-events' } as const;

export default function Webhooks() {
  const { t } = useTranslation();
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const notice = ['removed', 'redelivered'].find((n) => n === params.get('notice'));
  const invalid = result?.kind === 'invalid' ? result : undefined;
  const errors = (name: keyof typeof fieldIds) => invalid?.errors[name]?.map((k) => t(k));
  const labels = { url: t('api.webhooks.url'), events: t('api.webhooks.events') };
  const summary = invalid ? (Object.keys(fieldIds) as (keyof typeof fieldIds)[]).filter((k) => invalid.errors[k]).map((k) => ({ href: `#${fieldIds[k]}`, text: `${labels[k]}: ${t(invalid.errors[k]![0])}` })) : [];
  return (
    <>
      <AdminNav slug={page.slug} />
      <IntegrationNav slug={page.slug} />
      <h1>{t('api.webhooks.title')}</h1>
      <p className="lead">{t('api.webhooks.lead')}</p>
      {notice ? (
        <p className="alert alert--ok" role="status">
          {t(notice === 'removed' ? 'api.webhooks.removedNotice' : 'api.webhooks.redeliveredNotice')}
        </p>
      ) : null}
      {result?.kind === 'created' ? (
        <section className="alert alert--ok" role="status" aria-labelledby="created-title">
          <h2 id="created-title">{t('api.webhooks.createdTitle')}</h2>
          <p>{t('api.webhooks.createdLead')}</p>
          <label htmlFor="created-secret">{t('api.webhooks.secret')}</label>
          <input id="created-secret" type="text" readOnly value={result.secret} />
        </section>
      ) : null}
      {page.subscriptions.length ? (
        <div className="table-wrap" {...scrollRegion(t('api.webhooks.title'))}>
          <table className="data">
            <caption className="visually-hidden">{t('api.webhooks.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('api.webhooks.url')}</th>
                <th scope="col">{t('api.webhooks.events')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('api.webhooks.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.subscriptions.map((s) => (
                <tr key={s.id}>
                  <td>
                    <code>{s.url}</code>
                  </td>
                  <td>
                    <ul className="plain">
                      {s.events.map((e) => (
                        <li key={e}>{t(eventKey(e))}</li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <RowAction id={s.id} intent="remove" label={t('api.webhooks.remove')} named={t('api.webhooks.removeNamed', { url: s.url })} danger />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="card">{t('api.webhooks.none')}</p>
      )}
      <section className="card" aria-labelledby="new-webhook">
        <h2 id="new-webhook">{t('api.webhooks.create')}</h2>
        <ErrorSummary title={t('form.errorSummary')} messages={summary} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="create" />
          <Field id={fieldIds.url} label={labels.url} help={t('api.webhooks.urlHelp')} errors={errors('url')}>
            {(aria) => <input {...aria} name="url" type="url" maxLength={2000} required defaultValue={invalid?.values.url ?? ''} />}
          </Field>
          <fieldset className="field checkbox-group" id={fieldIds.events} tabIndex={-1} aria-describedby={errors('events') ? `${fieldIds.events}-error` : undefined}>
            <legend>{labels.events}</legend>
            {errors('events') ? (
              <span id={`${fieldIds.events}-error`} className="field__error">
                {errors('events')!.join(' ')}
              </span>
            ) : null}
            {webhookEventTypes.map((e) => (
              <div className="field--checkbox" key={e}>
                <input type="checkbox" id={`event-${e.replace('.', '-')}`} name="events" value={e} defaultChecked={invalid?.values.events.includes(e) ?? false} />
                <label htmlFor={`event-${e.replace('.', '-')}`}>{t(eventKey(e))}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit" className="primary">
            {t('api.webhooks.create')}
          </button>
        </Form>
      </section>
      <h2 id="deliveries">{t('api.webhooks.deliveries')}</h2>
      {page.deliveries.length ? (
        <div className="table-wrap" {...scrollRegion(t('api.webhooks.deliveries'))}>
          <table className="data">
            <caption className="visually-hidden">{t('api.webhooks.deliveries')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('api.webhooks.at')}</th>
                <th scope="col">{t('api.webhooks.event')}</th>
                <th scope="col">{t('api.webhooks.url')}</th>
                <th scope="col">{t('api.webhooks.status')}</th>
                <th scope="col">{t('api.webhooks.attempts')}</th>
                <th scope="col">{t('api.webhooks.response')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('api.webhooks.redeliver')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.deliveries.map((d) => (
                <tr key={d.id}>
                  <td className="nowrap">{d.createdAt}</td>
                  <td>{t(eventKey(d.type))}</td>
                  <td>
                    <code>{d.url}</code>
                  </td>
                  <td>{t(`api.webhooks.statuses.${d.status}`)}</td>
                  <td>{d.attempts}</td>
                  <td>{d.lastStatus ?? d.lastError ?? '—'}</td>
                  <td>
                    <RowAction id={d.id} intent="redeliver" label={t('api.webhooks.redeliver')} named={t('api.webhooks.redeliverNamed', { event: t(eventKey(d.type)) })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="card">{t('api.webhooks.noDeliveries')}</p>
      )}
    </>
  );
}
