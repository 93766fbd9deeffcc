import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { and, asc, eq } from 'drizzle-orm';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { adoptions, memberships } from '#db/schema';
import { adoptVersion } from '#tenants/adoption';
import { notFound, requireTenantMember } from '../auth/guards.server';
import { db, withTenant } from '../db.server';
import { BusyButton } from '../ui/busy-button';
import { ErrorSummary, Field } from '../ui/field';
import { TemplateDiff } from '../ui/template-diff';
import { useLocale, useSerbian } from '../ui/localized';
import { findVersion, listCatalog } from '../workflow/publishing/catalog.server';
import { diffTemplates, type TemplateChange } from '../workflow/template/diff';
import { parameterDescriptors } from '../workflow/template/parameters';
import { templateVersionSchema } from '../workflow/template/schema';
import type { Locale } from '../workflow/template/labels';
import { AppError } from '../errors';
import { isUuid } from '../ids';
import { formatNumber } from '../i18n/format';
import { parseFields } from '../framework/form.server';
import { first, textOf, textsOf } from '../framework/form-fields';

async function loadPage(slug: string | undefined, key: string | undefined, context: Parameters<typeof requireTenantMember>[0], request: Request) {
  const access = await requireTenantMember(context, request, slug, 'manage:templates:tenant');
  const entry = (await listCatalog(db(), { includeDrafts: false })).find((e) => e.key === key);
  if (!entry) notFound();
  const { tenant, signedIn } = access;
  const [adoption, staff] = await withTenant(
    tenant.id,
    async (tx) => [
      (await tx.select().from(adoptions).where(and(eq(adoptions.tenantId, tenant.id), eq(adoptions.templateId, entry.templateId))))[0],
      await tx
        .select({ id: memberships.id, fullName: memberships.fullName, position: memberships.position })
        .from(memberships)
        .where(and(eq(memberships.tenantId, tenant.id), eq(memberships.active, true)))
        .orderBy(asc(memberships.fullName)),
    ] as const,
    { userId: signedIn.user.id },
  );
  return { access, entry, adoption, staff };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { access, entry, adoption, staff } = await loadPage(params.tenant, params.key, context, request);
  const published = entry.versions.filter((v) => v.status === 'published');
  const adopted = adoption ? entry.versions.find((v) => v.id === adoption.versionId) : undefined;
  const asked = Number(new URL(request.url).searchParams.get('version'));
  const target = published.find((v) => v.version === asked) ?? published[0] ?? adopted;
  if (!target) notFound();
  const row = (await findVersion(db(), entry.key, target.version))!;
  const def = templateVersionSchema.parse(row.definition);
  const locale = context.locale as Locale;
  // Before an upgrade, what changes from the version in use to the one offered.
  const changes =
    adopted && adopted.version !== target.version
      ? diffTemplates(templateVersionSchema.parse((await findVersion(db(), entry.key, adopted.version))!.definition), def)
      : null;
  return {
    slug: access.tenant.slug,
    key: entry.key,
    title: def.title[locale],
    target: { id: target.id, version: target.version, status: target.status, adoptBy: target.adoptBy },
    adoptedVersion: adopted?.version ?? null,
    // What this page was based on: a save over someone else's newer adoption is refused.
    basedOn: adoption ? adoption.updatedAt.toISOString() : null,
    changes,
    published: published.map((v) => v.version),
    parameters: parameterDescriptors(def, locale),
    positions: def.tenantParameters.filter((p) => p.type === 'position').map((p) => ({ name: p.name, label: p.label[locale] })),
    current: {
      parameters: (adoption?.parameters ?? {}) as Record<string, number>,
      positions: (adoption?.positions ?? {}) as Record<string, string[]>,
    },
    staff,
  };
}

interface ActionErrors {
  fieldErrors: Record<string, string[]>;
  values: Record<string, string | string[]>;
}

// The version adopted, what the page was based on, and the template's own parameters
// (`param:<name>`, a number as typed) and positions (`position:<name>`, membership ids, repeated),
// read by their whole names as sent — a parameter's name has dots, which conform would take for a
// path — bounded here, and checked by `adoptVersion` against the template, the message beside
// each field.
const adoptSchema = z
  .object({
    versionId: first(z.string({ error: 'input.forms.version' }).refine(isUuid, 'input.forms.version')),
    basedOn: first(z.string().max(40, 'input.forms.choice').optional()),
  })
  .catchall(z.union([z.string().max(200, 'form.tooLong'), z.array(z.string().max(200, 'form.tooLong')).max(500, 'input.forms.choice')]));

/** Where a field's message goes on the page: beside its parameter or position, else in the summary. */
const errorKeyOf = (name: string) => (name.startsWith('param:') ? `parameters.${name.slice(6)}` : name.startsWith('position:') ? `positions.${name.slice(9)}` : 'form');

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { access, entry } = await loadPage(params.tenant, params.key, context, request);
  const { fields, result: submission } = await parseFields(request, adoptSchema);
  // What was typed, as sent, comes back into the fields whatever the refusal.
  const values: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(fields)) values[name] = name.startsWith('position:') ? textsOf(value) : textOf(value);
  if (!submission.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of submission.error.issues) (fieldErrors[errorKeyOf(String(issue.path[0]))] ??= []).push(issue.message);
    return data<ActionErrors>({ fieldErrors, values }, { status: 400 });
  }
  const { versionId } = submission.data;
  const version = entry.versions.find((v) => v.id === versionId && v.status === 'published');
  if (!version) return data<ActionErrors>({ fieldErrors: { form: ['catalog.errors.notPublished'] }, values }, { status: 400 });
  // As sent, empty strings included (the schema's copy has them as absent): an empty parameter
  // is the template's "required" to say, an empty `basedOn` means "adopted by no one yet".
  const parameters: Record<string, string> = {};
  const positions: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(values)) {
    if (name.startsWith('param:') && typeof value === 'string') parameters[name.slice(6)] = value;
    if (name.startsWith('position:')) positions[name.slice(9)] = ([] as string[]).concat(value);
  }
  const basedOn = values.basedOn;
  const adopt = () =>
    withTenant(
      access.tenant.id,
      (tx) =>
        adoptVersion(tx, {
          tenantId: access.tenant.id,
          versionId,
          parameters,
          positions,
          actorUserId: access.signedIn.user.id,
          locale: context.locale,
          basedOn: typeof basedOn === 'string' ? basedOn || null : undefined,
        }),
      { userId: access.signedIn.user.id },
    );
  let result: Awaited<ReturnType<typeof adopt>>;
  try {
    result = await adopt();
  } catch (error) {
    // Another administrator adopted or changed this template meanwhile: say so, keep what was typed.
    if (error instanceof AppError && (error.details as { code?: string } | undefined)?.code === 'adoptionChanged') return data<ActionErrors>({ fieldErrors: { form: ['catalog.errors.adoptionChanged'] }, values }, { status: 409 });
    throw error;
  }
  if (!result.ok) return data<ActionErrors>({ fieldErrors: result.fieldErrors, values }, { status: 400 });
  throw redirect(`/t/${access.tenant.slug}/admin/templates/${entry.key}?saved=${version.version}`);
}

export default function AdoptTemplate() {
  const { t } = useTranslation();
  const locale = useLocale();
  const sr = useSerbian();
  const page = useLoaderData<typeof loader>();
  const returned = useActionData<typeof action>() as ActionErrors | undefined;
  const failed = returned && 'fieldErrors' in returned ? returned : undefined;
  const [search] = useSearchParams();
  const saved = search.get('saved');
  const errorsOf = (key: string) => failed?.fieldErrors[key];
  const valueOf = (name: string, fallback: string) => (failed ? String(failed.values[name] ?? '') : fallback);
  const chosenOf = (name: string, fallback: string[]) => (failed ? ((failed.values[`position:${name}`] as string[] | undefined) ?? []) : fallback);
  const summary = [
    ...(failed?.fieldErrors.form ?? []).map((e) => ({ text: t(e) })),
    ...page.parameters.filter((p) => errorsOf(`parameters.${p.name}`)).map((p) => ({ href: `#param-${p.name}`, text: `${p.label}: ${errorsOf(`parameters.${p.name}`)![0]}` })),
    ...page.positions.filter((p) => errorsOf(`positions.${p.name}`)).map((p) => ({ href: `#position-${p.name}`, text: `${p.label}: ${errorsOf(`positions.${p.name}`)![0]}` })),
  ];
  const isUpgrade = page.adoptedVersion !== null && page.adoptedVersion !== page.target.version;
  const range = (p: (typeof page.parameters)[number]) =>
    p.min !== undefined && p.max !== undefined
      ? t('catalog.admin.range', { min: formatNumber(p.min, locale), max: formatNumber(p.max, locale) })
      : p.min !== undefined
        ? t('catalog.admin.rangeMin', { min: formatNumber(p.min, locale) })
        : p.max !== undefined
          ? t('catalog.admin.rangeMax', { max: formatNumber(p.max, locale) })
          : '';
  return (
    <>
      <p>
        <Link to={`/t/${page.slug}/admin/templates`}>← {t('catalog.admin.title')}</Link>
      </p>
      <h1>{page.title}</h1>
      <p>
        {page.adoptedVersion === null ? t('catalog.admin.notAdopted') : t('catalog.admin.adopted', { version: page.adoptedVersion })}
        {page.target.adoptBy && isUpgrade ? ` — ${t('catalog.admin.mustMoveBy', { date: page.target.adoptBy })}` : ''}
      </p>
      {saved ? (
        <p className="alert alert--ok" role="status">
          {t('catalog.admin.saved', { version: saved })}
        </p>
      ) : null}
      {isUpgrade ? (
        <section className="card" aria-labelledby="upgrade-changes">
          <h2 id="upgrade-changes">{t('catalog.admin.changes', { from: page.adoptedVersion, to: page.target.version })}</h2>
          <p>{t('catalog.admin.inFlight')}</p>
          {page.changes ? <TemplateDiff changes={page.changes as TemplateChange[]} headingLevel={3} /> : null}
        </section>
      ) : null}
      <ErrorSummary title={t('form.errorSummary')} messages={summary} />
      <Form method="post" className="card">
        <input type="hidden" name="versionId" value={page.target.id} />
        <input type="hidden" name="basedOn" value={page.basedOn ?? ''} />
        <h2>{t('catalog.admin.parameters')}</h2>
        {page.parameters.length ? <p>{t('catalog.admin.parametersLead')}</p> : <p>{t('catalog.admin.noParameters')}</p>}
        {page.parameters.map((p) => (
          <Field
            key={p.name}
            id={`param-${p.name}`}
            label={p.label}
            help={[p.help, range(p), t('catalog.admin.defaultValue', { value: formatNumber(p.default, locale) })].filter(Boolean).join(' · ')}
            errors={errorsOf(`parameters.${p.name}`)}
          >
            {(aria) => (
              <input
                {...aria}
                name={`param:${p.name}`}
                type="text"
                inputMode="decimal"
                required
                defaultValue={valueOf(`param:${p.name}`, String(page.current.parameters[p.name] ?? p.default))}
              />
            )}
          </Field>
        ))}
        {page.positions.length ? (
          <>
            <h2>{t('catalog.admin.positions')}</h2>
            <p>{t('catalog.admin.positionsLead')}</p>
            {page.positions.map((p) => (
              <Field key={p.name} id={`position-${p.name}`} label={p.label} errors={errorsOf(`positions.${p.name}`)}>
                {(aria) => (
                  <select {...aria} name={`position:${p.name}`} multiple size={Math.min(8, page.staff.length)} defaultValue={chosenOf(p.name, page.current.positions[p.name] ?? [])}>
                    {page.staff.map((s) => (
                      <option key={s.id} value={s.id}>
                        {sr(s.fullName)} — {sr(s.position)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ))}
          </>
        ) : null}
        <BusyButton className="primary" name="intent" value="adopt" busyText={t('catalog.admin.adopting')}>
          {page.adoptedVersion === page.target.version ? t('catalog.admin.saveAdoption') : t('catalog.admin.adoptVersion', { version: page.target.version })}
        </BusyButton>
      </Form>
    </>
  );
}
