import * as z from 'zod';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { and, eq } from 'drizzle-orm';
import { useTranslation } from 'react-i18next';
import { appendAudit } from '#db/audit';
import { delegations, templates } from '#db/schema';
import { tenantAdoptions } from '#tenants/adoption';
import { isRole, roles } from '../auth/permissions';
import { readAsMember, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { parseForm } from '../framework/form.server';
import { useLocale } from '../ui/localized';
import { templateVersionSchema } from '../workflow/template/schema';
import { scrollRegion } from '../ui/table-region';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { data } = await readAsMember(context, request, params.tenant, 'manage:settings:tenant', async (tx, me) => {
    const [adopted, rows] = await Promise.all([
      tenantAdoptions(tx, me.tenantId),
      tx
        .select({ id: delegations.id, templateId: delegations.templateId, role: delegations.role, key: templates.key })
        .from(delegations)
        .innerJoin(templates, eq(templates.id, delegations.templateId))
        .where(eq(delegations.tenantId, me.tenantId)),
    ]);
    const titles = new Map(adopted.map((a) => [a.adoption.templateId, templateVersionSchema.parse(a.definition).title]));
    return {
      templates: adopted.map((a) => ({ id: a.adoption.templateId, title: titles.get(a.adoption.templateId)! })),
      delegations: rows.map((r) => ({ ...r, title: titles.get(r.templateId) ?? null })),
      roles: roles.filter((r) => !r.startsWith('national_')),
    };
  });
  return data;
}

/** The two forms of the page: remove a delegation, or add one (the role and template are checked against the tenant's below). */
const delegationForm = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('remove'), id: z.uuid() }),
  z.object({ intent: z.literal('add'), role: z.string().min(1).max(64), templateId: z.uuid() }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const access = await requireTenantMember(context, request, params.tenant, 'manage:settings:tenant');
  const submission = await parseForm(request, delegationForm);
  if (submission.status !== 'success') return data({ error: 'form.required' }, { status: 400 });
  const form = submission.value;
  const tenantId = access.tenant.id;
  const result = await withTenant(
    tenantId,
    async (tx) => {
      if (form.intent === 'remove') {
        const [gone] = await tx
          .delete(delegations)
          .where(and(eq(delegations.tenantId, tenantId), eq(delegations.id, form.id)))
          .returning();
        if (!gone) return 'unknown';
        await appendAudit(tx, tenantId, { type: 'delegation.removed', subjectType: 'delegation', subjectId: gone.id, actorUserId: access.signedIn.user.id, data: { role: gone.role } });
        return 'ok';
      }
      const { role, templateId } = form;
      const adopted = (await tenantAdoptions(tx, tenantId)).some((a) => a.adoption.templateId === templateId);
      if (!isRole(role) || !adopted) return 'invalid';
      const [row] = await tx.insert(delegations).values({ tenantId, templateId, role }).onConflictDoNothing().returning();
      if (!row) return 'duplicate';
      await appendAudit(tx, tenantId, { type: 'delegation.added', subjectType: 'delegation', subjectId: row.id, actorUserId: access.signedIn.user.id, data: { role, templateId } });
      return 'ok';
    },
    { userId: access.signedIn.user.id },
  );
  if (result === 'unknown') return data({ error: 'documents.delegations.unknown' }, { status: 404 });
  if (result !== 'ok') return data({ error: result === 'duplicate' ? 'documents.delegations.duplicate' : 'form.required' }, { status: 400 });
  throw redirect(`/t/${access.tenant.slug}/admin/delegations`);
}

export default function Delegations() {
  const { t } = useTranslation();
  const locale = useLocale();
  const page = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>() as { error: string } | undefined;
  return (
    <>
      <h1>{t('documents.delegations.title')}</h1>
      <p className="lead">{t('documents.delegations.lead')}</p>
      {failed ? (
        <p className="alert alert--error" role="alert">
          {t(failed.error)}
        </p>
      ) : null}
      {page.delegations.length ? (
        <div className="table-wrap" {...scrollRegion(t('documents.delegations.title'))}>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('documents.delegations.template')}</th>
                <th scope="col">{t('documents.delegations.role')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('documents.delegations.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.delegations.map((d) => (
                <tr key={d.id}>
                  <td>{d.title?.[locale] ?? d.key}</td>
                  <td>{t(`roles.${d.role}`)}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="id" value={d.id} />
                      <button type="submit" className="button secondary">
                        {t('documents.delegations.remove')}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="card">{t('documents.delegations.none')}</p>
      )}
      <Form method="post" className="card inline-form">
        <div className="field">
          <label htmlFor="delegation-template">{t('documents.delegations.template')}</label>
          <select id="delegation-template" name="templateId" required>
            {page.templates.map((tpl) => (
              <option key={tpl.id} value={tpl.id}>
                {tpl.title[locale]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="delegation-role">{t('documents.delegations.role')}</label>
          <select id="delegation-role" name="role" required>
            {page.roles.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" name="intent" value="add" className="primary">
          {t('documents.delegations.add')}
        </button>
      </Form>
    </>
  );
}
