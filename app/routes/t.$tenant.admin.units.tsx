import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { readAsMember, requireTenantMember } from '../auth/guards.server';
import { withTenant } from '../db.server';
import { deleteUnit, saveUnit, unitTree } from '#tenants/lifecycle.server';
import { unitSchema } from '../onboarding/schemas';
import { AdminNav, errorText, useErrors, summaryOf } from '../onboarding/ui';
import { ErrorSummary, Field } from '../ui/field';
import { useLocale, useSerbian } from '../ui/localized';
import { parseForm } from '../framework/form.server';
import { rowAction, rowId } from '../framework/form-fields';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const {
    access: { tenant },
    data: { roots, all },
  } = await readAsMember(context, request, params.tenant, 'manage:staff:tenant', (tx, me) => unitTree(tx, me.tenantId));
  return { slug: tenant.slug, roots, units: all.map((u) => ({ id: u.id, code: u.code, name: u.name, nameEn: u.nameEn, parentId: u.parentId })) };
}

type ActionData = { kind: 'form'; form: 'add' | 'edit'; id?: string; result: SubmissionResult<string[]> } | { kind: 'error'; message: string };

/** A new unit, a unit's edited fields (its id beside them), or a unit deleted. */
const unitForm = z.discriminatedUnion('intent', [
  unitSchema.safeExtend({ intent: z.literal('add') }),
  unitSchema.safeExtend({ intent: z.literal('save'), id: rowId }),
  rowAction('delete'),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { tenant, signedIn } = await requireTenantMember(context, request, params.tenant, 'manage:staff:tenant');
  const actor = { userId: signedIn.user.id, ip: context.ip, userAgent: context.userAgent };
  const submission = await parseForm(request, unitForm);
  const base = `/t/${tenant.slug}/admin/units`;
  const id = rowId.parse(submission.payload.id);
  const editing = submission.payload.intent === 'save';
  if (editing && !id) return data<ActionData>({ kind: 'error', message: 'onboarding.errors.unitUnknown' }, { status: 404 });
  const which = editing ? { form: 'edit' as const, id: id! } : { form: 'add' as const };
  // Only a unit's own fields can be wrong (deleting has none): they go beside the fields.
  if (submission.status !== 'success') return data<ActionData>({ kind: 'form', ...which, result: submission.reply() }, { status: 400 });
  const form = submission.value;
  if (form.intent === 'delete') {
    const outcome = id ? await withTenant(tenant.id, (tx) => deleteUnit(tx, tenant.id, actor, id), { userId: actor.userId }) : null;
    if (outcome === 'inUse') return data<ActionData>({ kind: 'error', message: 'onboarding.errors.unitInUse' }, { status: 409 });
    if (!outcome) return data<ActionData>({ kind: 'error', message: 'onboarding.errors.unitUnknown' }, { status: 404 });
    throw redirect(`${base}?notice=deleted`);
  }
  const { code, name, nameEn, parentId } = form;
  const outcome = await withTenant(tenant.id, (tx) => saveUnit(tx, tenant.id, actor, { code, name, nameEn, parentId }, editing ? id! : undefined), { userId: actor.userId });
  if (!outcome.ok) return data<ActionData>({ kind: 'form', ...which, result: submission.reply({ fieldErrors: { [outcome.field]: [outcome.message] } }) }, { status: 409 });
  throw redirect(`${base}?notice=${editing ? 'saved' : 'added'}`);
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;
type Node = Loaded['roots'][number];

const notices = ['added', 'saved', 'deleted'] as const;

/** The ids of a unit and everything under it: not offered as its new parent. */
function subtree(node: Node, into = new Set<string>()): Set<string> {
  into.add(node.id);
  for (const child of node.children) subtree(child, into);
  return into;
}

function findNode(nodes: Node[], id: string): Node | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const found = findNode(n.children, id);
    if (found) return found;
  }
  return undefined;
}

export default function Units() {
  const { t } = useTranslation();
  const locale = useLocale();
  const sr = useSerbian();
  const { slug, roots, units } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const editId = actionData?.kind === 'form' && actionData.form === 'edit' ? actionData.id : params.get('edit');
  const editing = editId ? findNode(roots, editId) : undefined;
  const notice = notices.find((n) => n === params.get('notice'));
  const unitName = (u: { name: string; nameEn: string }) => (locale === 'en' ? u.nameEn : sr(u.name));

  const tree = (nodes: Node[]) => (
    <ul className="unit-tree">
      {nodes.map((n) => (
        <li key={n.id}>
          <div className="unit-tree__row">
            <span>
              <strong>{n.code}</strong> — {unitName(n)} <span className="tag">{t('onboarding.manage.units.members', { count: n.members })}</span>
            </span>
            <span className="actions">
              <Link to={`?edit=${n.id}#unit-edit`} aria-label={`${t('onboarding.manage.edit')}: ${n.code}`}>
                {t('onboarding.manage.edit')}
              </Link>
              {n.children.length || n.members ? null : (
                <Form method="post">
                  <input type="hidden" name="id" value={n.id} />
                  <button type="submit" name="intent" value="delete" className="button danger" aria-label={`${t('onboarding.remove')}: ${n.code}`}>
                    {t('onboarding.remove')}
                  </button>
                </Form>
              )}
            </span>
          </div>
          {n.children.length ? tree(n.children) : null}
        </li>
      ))}
    </ul>
  );

  return (
    <>
      <AdminNav slug={slug} />
      <h1>{t('onboarding.manage.units.title')}</h1>
      <p className="lead">{t('onboarding.manage.units.lead')}</p>
      {notice ? (
        <p className="alert alert--ok" role="status">
          {t(`onboarding.manage.units.notice.${notice}`)}
        </p>
      ) : null}
      {actionData?.kind === 'error' ? (
        <p className="alert alert--error" role="alert">
          {errorText(t, actionData.message)}
        </p>
      ) : null}
      <section className="card" aria-labelledby="units-tree">
        <h2 id="units-tree">{t('onboarding.units.listTitle')}</h2>
        {roots.length ? tree(roots) : <p>{t('onboarding.units.empty')}</p>}
      </section>
      {editing ? (
        <UnitForm
          key={editing.id}
          id="unit-edit"
          title={t('onboarding.manage.units.editTitle', { code: editing.code })}
          submit={t('onboarding.manage.save')}
          intent="save"
          unitId={editing.id}
          defaults={{ code: editing.code, name: editing.name, nameEn: editing.nameEn, parentId: editing.parentId ?? '' }}
          parents={units.filter((u) => !subtree(editing).has(u.id))}
          lastResult={actionData?.kind === 'form' && actionData.form === 'edit' ? actionData.result : undefined}
        />
      ) : null}
      {/* Keyed by the count: with JavaScript, an added unit empties the form, as a new page would. */}
      <UnitForm
        key={`add-${units.length}`}
        id="unit-add"
        title={t('onboarding.units.addTitle')}
        submit={t('onboarding.units.add')}
        intent="add"
        defaults={{}}
        parents={units}
        lastResult={actionData?.kind === 'form' && actionData.form === 'add' ? actionData.result : undefined}
      />
    </>
  );
}

function UnitForm(props: {
  id: string;
  title: string;
  submit: string;
  intent: 'add' | 'save';
  unitId?: string;
  defaults: Record<string, string>;
  parents: Array<{ id: string; code: string; name: string; nameEn: string }>;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const sr = useSerbian();
  const errors = useErrors();
  const [form, f] = useForm({
    id: props.id,
    lastResult: props.lastResult,
    defaultValue: props.defaults,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: unitSchema }),
  });
  const labels = { code: t('onboarding.units.code'), name: t('onboarding.units.name'), nameEn: t('onboarding.units.nameEn'), parentId: t('onboarding.units.parent') };
  return (
    <section className="card" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <ErrorSummary
        title={t('form.errorSummary')}
        messages={summaryOf(t, f, labels)}
      />
      <Form method="post" {...getFormProps(form)}>
        {props.unitId ? <input type="hidden" name="id" value={props.unitId} /> : null}
        <Field id={f.code.id} label={labels.code} errors={errors(f.code.errors)}>
          {(aria) => <input {...getInputProps(f.code, { type: 'text' })} {...aria} />}
        </Field>
        <Field id={f.name.id} label={labels.name} errors={errors(f.name.errors)}>
          {(aria) => <input {...getInputProps(f.name, { type: 'text' })} {...aria} />}
        </Field>
        <Field id={f.nameEn.id} label={labels.nameEn} errors={errors(f.nameEn.errors)}>
          {(aria) => <input {...getInputProps(f.nameEn, { type: 'text' })} {...aria} />}
        </Field>
        <Field id={f.parentId.id} label={labels.parentId} errors={errors(f.parentId.errors)}>
          {(aria) => (
            <select {...getSelectProps(f.parentId)} {...aria}>
              <option value="">{t('onboarding.units.noParent')}</option>
              {props.parents.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.code} — {locale === 'en' ? u.nameEn : sr(u.name)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" name="intent" value={props.intent} className="primary">
          {props.submit}
        </button>
      </Form>
    </section>
  );
}
