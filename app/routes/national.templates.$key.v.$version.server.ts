// The structured editor of a template version: loading a draft (or a published version, read
// only) with its preview and its publishing problems, and every action of the editor.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import type { SubmissionResult } from '@conform-to/react';
import { eq } from 'drizzle-orm';
import * as z from 'zod';
import { templateVersions } from '#db/schema';
import { notFound, requireNational } from '../auth/guards.server';
import { db, withTenant } from '../db.server';
import { AppError, domainError } from '../errors';
import { parseFields, refuseForm } from '../framework/form.server';
import { text } from '../framework/form-fields';
import { isLocale, type Locale } from '../i18n/resources';
import { deleteDraft, findVersion, publishedDefinitions, publishVersion, saveDraft } from '../workflow/publishing/catalog.server';
import { editorValues, formValues, mergeDraft, parseEditorSubmission, parseIntent, previewOf, ruleParamInputs, type EditorIntent } from '../workflow/publishing/editor-form';
import { ruleLibrary } from '../workflow/template/rules';
import { templateVersionSchema, type TemplateVersion } from '../workflow/template/schema';
import { checkTemplate, type Problem } from '../workflow/template/validate';

export type EditorActionData =
  | { kind: 'form'; reply: SubmissionResult<string[]>; message?: string }
  | { kind: 'publish'; problems: Problem[] }
  | { kind: 'error'; message: string };

async function loadVersion(params: { key?: string; version?: string }) {
  const version = Number(params.version);
  if (!params.key || !/^[1-9][0-9]{0,5}$/.test(params.version ?? '')) notFound();
  const row = await findVersion(db(), params.key, version);
  if (!row) notFound();
  return row;
}

/** The checks publishing will run: against the newest published version of every other template. */
function problemsOf(definition: unknown, key: string, published: TemplateVersion[]): Problem[] {
  const others = published.filter((d) => d.key !== key);
  const self = templateVersionSchema.safeParse(definition);
  return checkTemplate(definition, { catalog: self.success ? [...others, self.data] : others }).problems;
}

export async function editorLoader({ request, context, params }: LoaderFunctionArgs) {
  await requireNational(context, request, 'publish:template:national');
  const row = await loadVersion(params);
  const url = new URL(request.url);
  const asked = url.searchParams.get('preview');
  const previewLocale: Locale = isLocale(asked) ? asked : context.locale;
  const locale = context.locale;
  const published = await publishedDefinitions(db());
  const parsed = templateVersionSchema.safeParse(row.definition);
  // An unfinished draft has no parsed definition yet, but usually a title.
  const titled = templateVersionSchema.shape.title.safeParse((row.definition as { title?: unknown } | null)?.title);
  const title = titled.success ? titled.data[locale] : null;
  const base = {
    key: row.key,
    version: row.version,
    status: row.status,
    title,
    previewLocale,
    preview: previewOf(row.definition, previewLocale),
    published: url.searchParams.has('published'),
    // The version before this one, to compare with.
    previous: row.version > 1 ? row.version - 1 : null,
  };
  if (row.status !== 'draft') {
    return { ...base, mode: 'view' as const, definition: parsed.success ? parsed.data : null };
  }
  return {
    ...base,
    mode: 'edit' as const,
    values: editorValues(row.definition),
    // Kept as it is by the editor, and shown so that its problems have a place on the page.
    aggregate: ((row.definition as { aggregate?: unknown } | null)?.aggregate ?? null) as Record<string, unknown> | null,
    revision: row.updatedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    problems: problemsOf(row.definition, row.key, published),
    // What the editor offers: the rule library and the catalog, in the editor's language.
    rules: [...ruleLibrary.values()].map((r) => ({
      name: r.name,
      description: r.description[locale],
      params: ruleParamInputs(r.name),
      slots: r.slots.map((s) => ({ name: s.name, optional: !!s.optional, default: s.default ?? s.name })),
    })),
    catalog: published
      .filter((d) => d.key !== row.key)
      .map((d) => ({
        key: d.key,
        title: d.title[locale],
        fields: d.fields.map((f) => ({ name: f.name, type: f.type, label: f.label[locale], template: f.type === 'document' ? f.template : undefined })),
      })),
  };
}

/**
 * The editor's buttons: publish, delete, or one of the editing intents (`save:fields`,
 * `add:route`, `remove:fields.2` …) with the revision the page was read at. The definition's own
 * inputs are read by `parseEditorSubmission`, the schema of the part the intent changes.
 */
const editorIntent = z.string().transform((raw, ctx): EditorIntent => {
  const intent = parseIntent(raw);
  if (!intent) ctx.addIssue({ code: 'custom', message: 'input.forms.choice' });
  return intent ?? z.NEVER;
});
const editorForm = z.looseObject({
  intent: z.union([z.literal('publish'), z.literal('delete'), editorIntent]),
  revision: text(z.string()),
});

export async function editorAction({ request, context, params }: ActionFunctionArgs) {
  const access = await requireNational(context, request, 'publish:template:national');
  const row = await loadVersion(params);
  const actor = { nationalTenantId: access.tenant.id, userId: access.signedIn.user.id };
  const inNational = <T>(fn: Parameters<typeof withTenant<T>>[1]) => withTenant(access.tenant.id, fn, { userId: actor.userId });
  const url = new URL(request.url);
  const here = `/national/templates/${row.key}/v/${row.version}`;
  const { form, result } = await parseFields(request, editorForm);
  // Only `intent` can be wrong, and `parseFields` refuses the form for it.
  if (!result.success) refuseForm();
  const { intent, revision } = result.data;

  if (row.status !== 'draft') return data<EditorActionData>({ kind: 'error', message: 'catalog.editor.notDraft' }, { status: 409 });

  if (intent === 'publish') {
    try {
      const result = await inNational((tx) => publishVersion(tx, actor, row.id));
      if (!result.ok) return data<EditorActionData>({ kind: 'publish', problems: result.problems }, { status: 400 });
    } catch (error) {
      if (domainError(error, 'conflict')) return data<EditorActionData>({ kind: 'error', message: 'catalog.editor.notDraft' }, { status: 409 });
      throw error;
    }
    throw redirect(`${here}?published=1`);
  }

  if (intent === 'delete') {
    try {
      await inNational((tx) => deleteDraft(tx, actor, row.id));
    } catch (error) {
      if (domainError(error, 'conflict')) return data<EditorActionData>({ kind: 'error', message: 'catalog.editor.notDraft' }, { status: 409 });
      throw error;
    }
    // Only the newest version can be a draft, so the older ones are still there.
    throw redirect(row.version > 1 ? `/national/templates/${row.key}` : '/national/templates');
  }

  const submission = parseEditorSubmission(form, intent, { locale: context.locale, templateKey: row.key });
  if (!submission.ok) return data<EditorActionData>({ kind: 'form', reply: submission.reply }, { status: 400 });

  try {
    await inNational(async (tx) => {
      // Two editors of one draft: the second save is refused rather than silently overwriting.
      const [current] = await tx.select({ updatedAt: templateVersions.updatedAt }).from(templateVersions).where(eq(templateVersions.id, row.id)).for('update');
      if (current?.updatedAt.toISOString() !== revision) throw new AppError('stale', 'draft changed meanwhile', { revision: current?.updatedAt.toISOString() });
      await saveDraft(tx, row.id, mergeDraft(row.definition, submission.definition));
    });
  } catch (error) {
    const stale = domainError(error, 'stale');
    if (stale) {
      const current = (stale.details as { revision?: string }).revision ?? '';
      // What was typed comes back, with the current revision, so saving again is a decision.
      const reply: SubmissionResult<string[]> = { status: 'error', initialValue: { ...formValues(form), revision: current } as SubmissionResult<string[]>['initialValue'], error: {} };
      return data<EditorActionData>({ kind: 'form', reply, message: 'catalog.editor.stale' }, { status: 409 });
    }
    if (domainError(error, 'conflict')) return data<EditorActionData>({ kind: 'error', message: 'catalog.editor.notDraft' }, { status: 409 });
    throw error;
  }
  throw redirect(`${here}${url.search}#${submission.anchor}`);
}
