import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { readAsMember, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { addSubstitute, endSubstitute, removeSubstitute, staffWithInvitations, substituteList } from '#tenants/lifecycle.server';
import { substituteSchema } from '../onboarding/schemas';
import { AdminNav, errorText, useErrors, summaryOf } from '../onboarding/ui';
import { ErrorSummary, Field } from '../ui/field';
import { useSerbian } from '../ui/localized';
import { scrollRegion } from '../ui/table-region';
import { parseForm } from '../framework/form.server';
import { rowAction } from '../framework/form-fields';
import { belgradeDate } from '../time/belgrade';

// Periods are calendar days where the tenants are.

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const {
    access: { tenant },
    data: [list, staff],
  } = await readAsMember(context, request, params.tenant, 'manage:staff:tenant', (tx, me) => Promise.all([substituteList(tx, me.tenantId), staffWithInvitations(tx, me.tenantId)]));
  return { slug: tenant.slug, today: belgradeDate(), list, people: staff.filter((s) => s.active).map((s) => ({ id: s.id, fullName: s.fullName, position: s.position })) };
}

type ActionData = { kind: 'form'; result: SubmissionResult<string[]> } | { kind: 'error'; message: string };

const notices = ['added', 'ended', 'removed'] as const;

/** A new substitute, or one of the list's buttons (end it today, remove it). */
const substituteForm = z.discriminatedUnion('intent', [substituteSchema.safeExtend({ intent: z.literal('add') }), rowAction('end'), rowAction('remove')]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { tenant, signedIn } = await requireTenantMember(context, request, params.tenant, 'manage:staff:tenant');
  const actor = { userId: signedIn.user.id, ip: context.ip, userAgent: context.userAgent };
  const submission = await parseForm(request, substituteForm);
  const base = `/t/${tenant.slug}/admin/substitutes`;
  if (submission.status !== 'success') return data<ActionData>({ kind: 'form', result: submission.reply() }, { status: 400 });
  const form = submission.value;
  if (form.intent === 'end' || form.intent === 'remove') {
    const { intent, id } = form;
    if (!id) return data<ActionData>({ kind: 'error', message: 'onboarding.errors.substituteUnknown' }, { status: 404 });
    const outcome = await withTenant(
      tenant.id,
      async (tx) => (intent === 'end' ? endSubstitute(tx, tenant.id, actor, id, belgradeDate()) : (await removeSubstitute(tx, tenant.id, actor, id)) ? 'removed' : null),
      { userId: actor.userId },
    );
    if (!outcome) return data<ActionData>({ kind: 'error', message: 'onboarding.errors.substituteUnknown' }, { status: 404 });
    if (outcome === 'over') return data<ActionData>({ kind: 'error', message: 'onboarding.errors.substituteOver' }, { status: 409 });
    throw redirect(`${base}?notice=${outcome}`);
  }
  const { intent: _add, ...substitute } = form;
  const outcome = await withTenant(tenant.id, (tx) => addSubstitute(tx, tenant.id, actor, substitute), { userId: actor.userId });
  if (!outcome.ok) return data<ActionData>({ kind: 'form', result: submission.reply({ fieldErrors: { [outcome.field]: [outcome.message] } }) }, { status: 409 });
  throw redirect(`${base}?notice=added`);
}

export default function Substitutes() {
  const { t } = useTranslation();
  const sr = useSerbian();
  const { slug, today: now, list, people } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const notice = notices.find((n) => n === params.get('notice'));
  const labels = {
    absentId: t('onboarding.manage.substitutes.absent'),
    substituteId: t('onboarding.manage.substitutes.substitute'),
    startsOn: t('onboarding.manage.substitutes.startsOn'),
    endsOn: t('onboarding.manage.substitutes.endsOn'),
    note: t('onboarding.manage.substitutes.note'),
  };
  return (
    <>
      <AdminNav slug={slug} />
      <h1>{t('onboarding.manage.substitutes.title')}</h1>
      <p className="lead">{t('onboarding.manage.substitutes.lead')}</p>
      {notice ? (
        <p className="alert alert--ok" role="status">
          {t(`onboarding.manage.substitutes.notice.${notice}`)}
        </p>
      ) : null}
      {actionData?.kind === 'error' ? (
        <p className="alert alert--error" role="alert">
          {errorText(t, actionData.message)}
        </p>
      ) : null}
      {list.length ? (
        <div className="table-wrap" {...scrollRegion(t('onboarding.manage.substitutes.listTitle'))}>
          <table>
            <caption>{t('onboarding.manage.substitutes.listTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{labels.absentId}</th>
                <th scope="col">{labels.substituteId}</th>
                <th scope="col">{labels.startsOn}</th>
                <th scope="col">{labels.endsOn}</th>
                <th scope="col">{labels.note}</th>
                <th scope="col">{t('onboarding.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id}>
                  <td>{sr(s.absentName)}</td>
                  <td>{sr(s.substituteName)}</td>
                  <td className="nowrap">{s.startsOn}</td>
                  <td className="nowrap">{s.endsOn}</td>
                  <td>{sr(s.note)}</td>
                  <td>
                    <Form method="post" className="actions">
                      <input type="hidden" name="id" value={s.id} />
                      {s.endsOn > now ? (
                        <button type="submit" name="intent" value="end" className="button secondary">
                          {t('onboarding.manage.substitutes.end')}
                        </button>
                      ) : null}
                      <button type="submit" name="intent" value="remove" className="button danger">
                        {t('onboarding.remove')}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('onboarding.manage.substitutes.empty')}</p>
      )}
      {/* Keyed by the count: with JavaScript, an added period empties the form, as a new page would. */}
      <AddSubstitute key={list.length} people={people} labels={labels} lastResult={actionData?.kind === 'form' ? actionData.result : undefined} />
    </>
  );
}

type Labels = Record<'absentId' | 'substituteId' | 'startsOn' | 'endsOn' | 'note', string>;

function AddSubstitute({
  people,
  labels,
  lastResult,
}: {
  people: Array<{ id: string; fullName: string; position: string }>;
  labels: Labels;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const { t } = useTranslation();
  const sr = useSerbian();
  const errors = useErrors();
  const [form, f] = useForm({
    id: 'substitute',
    lastResult,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: substituteSchema }),
  });
  const personOptions = people.map((p) => (
    <option key={p.id} value={p.id}>
      {sr(p.fullName)} — {sr(p.position)}
    </option>
  ));
  return (
    <section className="card" aria-labelledby="substitute-add">
      <h2 id="substitute-add">{t('onboarding.manage.substitutes.addTitle')}</h2>
      <ErrorSummary
        title={t('form.errorSummary')}
        messages={summaryOf(t, f, labels)}
      />
      <Form method="post" {...getFormProps(form)}>
        <Field id={f.absentId.id} label={labels.absentId} errors={errors(f.absentId.errors)}>
          {(aria) => (
            <select {...getSelectProps(f.absentId)} {...aria}>
              <option value="">{t('onboarding.choose')}</option>
              {personOptions}
            </select>
          )}
        </Field>
        <Field id={f.substituteId.id} label={labels.substituteId} errors={errors(f.substituteId.errors)}>
          {(aria) => (
            <select {...getSelectProps(f.substituteId)} {...aria}>
              <option value="">{t('onboarding.choose')}</option>
              {personOptions}
            </select>
          )}
        </Field>
        <Field id={f.startsOn.id} label={labels.startsOn} errors={errors(f.startsOn.errors)}>
          {(aria) => <input {...getInputProps(f.startsOn, { type: 'date' })} {...aria} />}
        </Field>
        <Field id={f.endsOn.id} label={labels.endsOn} errors={errors(f.endsOn.errors)}>
          {(aria) => <input {...getInputProps(f.endsOn, { type: 'date' })} {...aria} />}
        </Field>
        <Field id={f.note.id} label={labels.note} errors={errors(f.note.errors)}>
          {(aria) => <input {...getInputProps(f.note, { type: 'text' })} {...aria} />}
        </Field>
        <button type="submit" name="intent" value="add" className="primary">
          {t('onboarding.manage.substitutes.add')}
        </button>
      </Form>
    </section>
  );
}
