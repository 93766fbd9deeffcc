import * as z from 'zod';
import {
  data,
  redirect,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { actorOf, changeAsMember, notFound, readAsMember, requireUser } from '../auth/guards.server';
import type { Actor } from '../workflow/engine/actor';
import type { Tx } from '#db/client';
import { canReadDocument } from '../workflow/documents/access.server';
import { AppError, domainError } from '../errors';
import { formatDecimalText, formatInstant } from '../i18n/format';
import { formatMessage } from '../workflow/template/messages';
import { ErrorSummary, Field } from '../ui/field';
import { useLocale } from '../ui/localized';
import { TemplateFields } from '../ui/template-form';
import { loadCard, type Card } from '../workflow/engine/card.server';
import type { Locale } from '../i18n/resources';
import { moneyBasis } from '../workflow/template/basis';
import { computeValues, type FieldValue } from '../workflow/template/compute';
import { parseFieldValue } from '../workflow/template/field-values';
import { LiveComputed } from '../ui/live-computed';
import { actOnStep } from '../workflow/engine/act-on-step.server';
import { saveDraft, type AttachmentChanges } from '../workflow/engine/save-draft.server';
import { submitDocument } from '../workflow/engine/submit-document.server';
import type { Outcome, RawValues, Visibility } from '../workflow/engine/transition.server';
import { withdrawDocument } from '../workflow/engine/withdraw-document.server';
import { scrollRegion } from '../ui/table-region';
import { isUuid } from '../ids';
import { parseFields } from '../framework/form.server';
import { first, textOf, textsOf, type FormFields } from '../framework/form-fields';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { access, data: card } = await readAsMember(context, request, params.tenant, 'read:inbox:own', (tx, me) => loadCard(tx, me, params.id!, context.locale));
  if (!card) notFound();
  return { slug: access.tenant.slug, ...card, doc: { ...card.doc, content: undefined }, preview: previewOf(card, new URL(request.url).searchParams, context.locale) };
}

/**
 * "Show the amounts" without JavaScript: the form sent by GET comes back with the amounts its
 * values give, computed by the server's own code; nothing is saved. Only the fields the viewer
 * fills here count.
 */
function previewOf(card: Card, search: URLSearchParams, locale: Locale) {
  if (search.get('preview') !== '1') return null;
  const editable = card.isAuthor && (card.doc.state === 'draft' || card.doc.state === 'returned');
  const names = new Set(card.fields.filter((f) => (editable && f.editableAt.includes('draft')) || card.mine.some((m) => m.kind === 'prepare' && f.editableAt.includes(m.stepKey))).map((f) => f.name));
  const raw: Record<string, string> = {};
  const values: Record<string, FieldValue> = { ...(card.doc.values as Record<string, FieldValue>) };
  for (const field of card.computing.fields) {
    if (!names.has(field.name)) continue;
    const text = search.get(field.name) ?? undefined;
    if (text !== undefined) raw[field.name] = text;
    const parsed = parseFieldValue(field, text, false);
    if (parsed.ok && parsed.value !== undefined) values[field.name] = parsed.value;
    else delete values[field.name];
  }
  const computed = computeValues(card.computing, { values, tenantParameters: card.computing.parameterValues });
  return { raw, computed, basis: moneyBasis(card.computing, { values, computed, tenantParameters: card.computing.parameterValues }, locale) };
}

interface ActionProblem {
  fieldErrors?: Record<string, string[]>;
  formErrors?: string[];
  values?: RawValues;
  comment?: string;
  stale?: boolean;
}

/** Everything a form posts except the control fields and files, as typed. */
function rawValues(fields: FormFields): RawValues {
  const out: RawValues = {};
  for (const [key, value] of Object.entries(fields)) {
    if (['intent', 'version', 'stepRowId', 'outcome', 'comment', 'removeAttachment'].includes(key)) continue;
    const all = textsOf(value);
    if (all.length) out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

async function attachmentChanges(fields: FormFields): Promise<AttachmentChanges> {
  const uploads: NonNullable<AttachmentChanges['uploads']> = {};
  for (const [key, value] of Object.entries(fields)) {
    for (const file of ([] as FormDataEntryValue[]).concat(value)) {
      if (typeof file === 'string' || !file.name) continue;
      (uploads[key] ??= []).push({ fileName: file.name, contentType: file.type || 'application/octet-stream', content: Buffer.from(await file.arrayBuffer()) });
    }
  }
  return { uploads, remove: textsOf(fields.removeAttachment) };
}

const COMMENT_MAX = 4000;

/** The card's control fields (the template's own fields are the engine's to check), one set per button. */
const version = first(z.coerce.number().int().min(0).max(2_147_483_647));
const controlFields = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('save'), version }),
  z.object({ intent: z.literal('submit'), version }),
  z.object({ intent: z.literal('withdraw'), version }),
  z.object({
    intent: z.literal('act'),
    version,
    stepRowId: first(z.uuid().optional()),
    outcome: first(z.enum(['approved', 'rejected', 'returned', 'opinion', 'acknowledged', 'prepared']).optional()),
    comment: first(z.string().max(COMMENT_MAX).optional()),
  }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const slug = params.tenant!;
  const id = params.id!;
  if (!isUuid(id)) notFound();
  let form: Request | FormData = request;
  if (request.headers.get('content-type')?.startsWith('multipart/form-data')) {
    try {
      // The largest file any template may accept (50 MB); each field's own limit is checked by the engine.
      form = await parseMultipartFormData(request, createMemoryUploadHandler({ maxPartSize: 50 * 1024 * 1024 }));
    } catch {
      // A part over the hard limit: nothing was stored; say so beside the form.
      return data<ActionProblem>({ formErrors: ['documents.messages.uploadTooLarge'] }, { status: 413 });
    }
  }
  const { fields, result: control } = await parseFields(form, controlFields);
  if (!control.success) {
    // A comment over its limit is said beside it; anything else in the control fields is not this card's form.
    const tooLong = control.error.issues.some((i) => i.path[0] === 'comment');
    const comment = textOf(fields.comment).slice(0, COMMENT_MAX);
    if (tooLong) return data<ActionProblem>({ fieldErrors: { comment: [formatMessage(context.locale, 'tooLong', { max: COMMENT_MAX })] }, values: rawValues(fields), comment }, { status: 400 });
    return data<ActionProblem>({ formErrors: ['input.invalid'], values: rawValues(fields) }, { status: 400 });
  }
  const { intent, version } = control.data;
  const back = (done: string) => redirect(`/t/${slug}/documents/${id}?done=${done}`);
  // One transaction per action: the member's access check, is the document theirs to see (else
  // 404, as the card says), then the engine's own checks and the change, each awaited in turn.
  const onDocument = <T,>(change: (tx: Tx, actor: Actor, visible: Visibility) => Promise<T>) =>
    changeAsMember(context, request, slug, 'read:inbox:own', async (tx, member) => {
      const reader = { tenantId: member.tenantId, membershipId: member.membershipId, registryOffice: member.permissions.has('read:registry:tenant') };
      if (!(await canReadDocument(tx, reader, id))) throw new AppError('notFound', 'document not found');
      return change(tx, actorOf(member, context), Promise.resolve(true));
    });
  try {
    switch (intent) {
      case 'save': {
        const files = await attachmentChanges(fields);
        await onDocument((tx, actor, visible) => saveDraft(tx, actor, id, version, rawValues(fields), files, visible));
        return back('saved');
      }
      case 'submit': {
        const values = rawValues(fields);
        const files = await attachmentChanges(fields);
        const result = await onDocument((tx, actor, visible) => submitDocument(tx, actor, id, version, values, files, visible));
        if (!result.ok) {
          // The typed values were saved with the draft; the errors go beside the fields.
          return data<ActionProblem>({ fieldErrors: result.fieldErrors, formErrors: result.formErrors, values }, { status: 400 });
        }
        return back('submitted');
      }
      case 'withdraw':
        await onDocument((tx, actor, visible) => withdrawDocument(tx, actor, id, version, visible));
        return back('withdrawn');
      case 'act': {
        const comment = control.data.comment ?? '';
        const values = rawValues(fields);
        const { stepRowId, outcome } = control.data;
        const result = await onDocument((tx, actor, visible) => {
          // After the visibility check (a stranger learns nothing): no step named is no step to act on.
          if (!stepRowId || !outcome) throw new AppError('conflict', 'no step or outcome', { code: 'notInApproval' });
          return actOnStep(tx, actor, {
            visible,
            documentId: id,
            stepRowId,
            expectedVersion: version,
            outcome: outcome as Outcome,
            comment,
            raw: values,
          });
        });
        if (!result.ok) return data<ActionProblem>({ fieldErrors: result.fieldErrors, values, comment }, { status: 400 });
        return back('acted');
      }
    }
  } catch (error) {
    // Not found and forbidden are answered by the one mapper (app/errors.ts); the rest on the card.
    const domain = domainError(error, 'stale', 'conflict', 'invalid');
    if (!domain) throw error;
    if (domain.code === 'stale') return data<ActionProblem>({ stale: true, values: rawValues(fields) }, { status: 409 });
    const refused = (domain.details as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors;
    if (refused) return data<ActionProblem>({ fieldErrors: refused, values: rawValues(fields) }, { status: 400 });
    const code = (domain.details as { code?: string; step?: string } | undefined)?.code ?? 'notEditable';
    return data<ActionProblem>({ formErrors: [`documents.messages.${code}`], values: rawValues(fields) }, { status: 409 });
  }
}

function translateFormError(t: TFunction, e: string) {
  const [key, arg] = e.split('|');
  return key === 'noAssignee' ? t('documents.messages.noAssignee', { step: arg }) : t(key);
}

const trailKeys: Record<string, string> = {
  'document.created': 'created',
  'document.submitted': 'submitted',
  'document.resubmitted': 'resubmitted',
  'document.approved': 'approved',
  'document.withdrawn': 'withdrawn',
  'document.sealed': 'sealed',
};

/** An audit event as the sentence a clerk reads, never its code. */
function trailSentence(t: TFunction, e: { type: string; step: string | null }, registryNumber: string | null): string {
  if (e.type.startsWith('document.step.')) return t(`documents.trail.step.${e.type.slice('document.step.'.length)}`, { step: e.step ?? '', defaultValue: t('documents.trail.other') });
  if (e.type === 'document.registered') return registryNumber ? t('documents.trail.registered', { number: registryNumber }) : t('documents.trail.registeredNoNumber');
  const key = trailKeys[e.type];
  return key ? t(`documents.trail.${key}`) : t('documents.trail.other');
}

export default function DocumentCard() {
  const { t } = useTranslation();
  const locale = useLocale();
  const card = useLoaderData<typeof loader>();
  const problem = useActionData<typeof action>() as ActionProblem | undefined;
  const [search] = useSearchParams();
  const done = search.get('done');
  const { doc } = card;
  const waiting = doc.state === 'in_approval' ? card.line.filter((s) => s.round === doc.round && s.state === 'pending') : [];
  const editable = card.isAuthor && (doc.state === 'draft' || doc.state === 'returned');
  const draftFields = card.fields.filter((f) => f.editableAt.includes('draft'));
  const fieldErrors = problem?.fieldErrors ?? {};
  const translatedErrors = Object.fromEntries(
    Object.entries(fieldErrors).map(([k, v]) => [k, v.map((e) => (e === 'commentRequired' ? t('documents.messages.commentRequired') : e))]),
  );
  const labelOf = (name: string) => card.fields.find((f) => f.name === name)?.label ?? t('documents.actions.comment');
  const summary = [
    ...(problem?.formErrors ?? []).map((e) => ({ text: translateFormError(t, e) })),
    ...Object.entries(translatedErrors).map(([name, errs]) => ({ href: `#field-${name}`, text: `${labelOf(name)}: ${errs[0]}` })),
  ];
  const values = { ...(doc.values as Record<string, unknown>), ...(card.preview?.raw ?? {}), ...(problem?.values ?? {}) };
  const prepares = card.mine.some((m) => m.kind === 'prepare');
  const liveComputed = (idPrefix: string) =>
    card.computed.length ? (
      <LiveComputed
        computing={card.computing}
        descriptors={card.computed}
        stored={doc.values as Record<string, unknown>}
        initial={card.preview?.computed ?? (doc.computed as Record<string, string>)}
        initialBasis={card.preview?.basis ?? card.computedBasis}
        initialMatchesForm={!problem?.values && (card.preview !== null || card.computedCurrent)}
        locale={locale}
        idPrefix={idPrefix}
      />
    ) : null;
  const previewButton = card.computed.length ? (
    <button type="submit" formMethod="get" name="preview" value="1" className="button secondary">
      {t('documents.actions.showAmounts')}
    </button>
  ) : null;
  const title = card.title;
  const hasFiles = draftFields.some((f) => f.type === 'attachment');
  const attachmentList = card.attachments.length ? (
    <ul className="plain">
      {card.attachments.map((a) => (
        <li key={a.id}>
          <a href={`/t/${card.slug}/documents/${doc.id}/attachments/${a.id}`}>{a.fileName}</a> <small>({Math.ceil(a.size / 1024)} KB)</small>
          {editable ? (
            <label className="inline-check">
              <input type="checkbox" name="removeAttachment" value={a.id} /> {t('documents.card.removeAttachment')}
            </label>
          ) : null}
        </li>
      ))}
    </ul>
  ) : null;
  return (
    <article>
      <p>
        <Link to={`/t/${card.slug}/documents`}>← {t('documents.title')}</Link>
      </p>
      <h1>{title}</h1>
      <p>
        <span className={`tag tag--state-${doc.state}`}>{t(`documents.states.${doc.state}`)}</span>{' '}
        {doc.registryNumber ? (
          <>
            {t('documents.card.registryNumber')}: <strong>{doc.registryNumber}</strong>{' '}
          </>
        ) : null}
        <small>{t('documents.card.version', { version: card.templateVersion })}</small>
      </p>
      {done ? (
        <p className="alert alert--ok" role="status">
          {t(`documents.messages.${done}`)}
        </p>
      ) : null}
      {problem?.stale ? (
        <p className="alert alert--error" role="alert">
          {t('documents.messages.stale')}
        </p>
      ) : null}
      <ErrorSummary title={t('form.errorSummary')} messages={summary} />
      {doc.state === 'registered' ? (
        <p>
          <a className="button secondary" href={`/t/${card.slug}/documents/${doc.id}/pdf`}>
            {t('documents.card.pdf')}
          </a>
        </p>
      ) : null}
      {card.exceedsSource ? (
        <p className="alert alert--warning" role="status">
          {t('documents.card.exceedsSource', card.exceedsSource)}
        </p>
      ) : null}
      {card.corrects ? (
        <p>
          <Link to={`/t/${card.slug}/documents/${card.corrects.id}`}>{t('documents.card.corrects', { number: card.corrects.number })}</Link>
        </p>
      ) : null}
      {card.deduction ? (
        <p className="alert alert--warning" role="status">
          {t('corrections.deduction', { number: card.corrects?.number ?? '', hours: formatDecimalText(card.deduction.hours, locale) })}{' '}
          {card.deduction.amount ? t('corrections.deductionAmount', { amount: formatDecimalText(card.deduction.amount, locale) }) : null}
        </p>
      ) : null}
      {card.correctable ? (
        <Form method="post" action={`/t/${card.slug}/documents/new`} className="card">
          <input type="hidden" name="template" value={card.templateKey} />
          <input type="hidden" name="corrects" value={doc.id} />
          <p>{t('documents.card.correct')}</p>
          <button type="submit" className="button secondary">
            {t('documents.card.createCorrection')}
          </button>
        </Form>
      ) : null}
      {card.followUps.map((f) =>
        f.draftedId ? (
          <p className="card" key={f.key}>
            <Link to={`/t/${card.slug}/documents/${f.draftedId}`}>{t('documents.followUpDrafted', { title: f.title })}</Link>
          </p>
        ) : (
        <Form method="post" action={`/t/${card.slug}/documents/new`} key={f.key} className="card">
          <input type="hidden" name="template" value={f.key} />
          <input type="hidden" name="from" value={doc.id} />
          <h2>{t('documents.card.followUp', { title: f.title })}</h2>
          <p>{t('documents.followUpLead', { state: t(`documents.states.${doc.state}`).toLowerCase() })}</p>
          <button type="submit" className="primary">
            {t('documents.card.createFollowUp')}
          </button>
        </Form>
        ),
      )}

      {editable ? (
        <Form method="post" className="card" noValidate encType={hasFiles ? 'multipart/form-data' : undefined}>
          <h2>{t('documents.card.fields')}</h2>
          <input type="hidden" name="version" value={doc.version} />
          <TemplateFields
            fields={draftFields}
            values={values}
            errors={translatedErrors}
            staff={card.staff}
            orgUnits={card.units}
            documents={card.linkable}
            idPrefix="field-"
          />
          {liveComputed('computed-')}
          {attachmentList ? (
            <>
              <h3>{t('documents.card.attachments')}</h3>
              {attachmentList}
            </>
          ) : null}
          <div className="actions">
            <button type="submit" name="intent" value="submit" className="primary">
              {doc.state === 'returned' ? t('documents.actions.resubmit') : t('documents.actions.submit')}
            </button>
            <button type="submit" name="intent" value="save" className="button secondary">
              {t('documents.actions.save')}
            </button>
            {previewButton}
          </div>
        </Form>
      ) : (
        <section className="card" aria-labelledby="contents">
          <h2 id="contents">{t('documents.card.fields')}</h2>
          <TemplateFields
            fields={card.fields}
            values={doc.values as Record<string, unknown>}
            readOnly={card.fields.map((f) => f.name)}
            staff={card.staff}
            orgUnits={card.units}
            documents={card.linkable}
            computed={prepares ? undefined : card.computed}
            computedValues={doc.computed as Record<string, string>}
            computedBasis={card.computedBasis}
            idPrefix="view-"
          />
          {attachmentList ? (
            <>
              <h3>{t('documents.card.attachments')}</h3>
              {attachmentList}
            </>
          ) : null}
        </section>
      )}

      {card.mine.map((step) => (
        <Form method="post" className="card" key={step.id} noValidate>
          <h2>{t('documents.actions.yourStep', { step: step.label })}</h2>
          {step.forName ? <p>{t('documents.actions.asSubstitute', { name: step.forName })}</p> : null}
          <input type="hidden" name="intent" value="act" />
          <input type="hidden" name="version" value={doc.version} />
          <input type="hidden" name="stepRowId" value={step.id} />
          {step.kind === 'prepare' ? (
            <TemplateFields
              fields={step.editable}
              values={values}
              errors={translatedErrors}
              staff={card.staff}
              orgUnits={card.units}
              documents={card.linkable}
              idPrefix="field-"
            />
          ) : null}
          {step.kind === 'prepare' ? (
            <>
              <h3>{t('documents.card.amounts')}</h3>
              {liveComputed(`computed-${step.id}-`)}
            </>
          ) : null}
          <Field id={`comment-${step.id}`} label={t('documents.actions.comment')} help={t('documents.actions.commentHelp')} errors={translatedErrors.comment}>
            {(aria) => <textarea {...aria} name="comment" rows={3} maxLength={COMMENT_MAX} defaultValue={problem?.comment ?? ''} />}
          </Field>
          <div className="actions">
            {step.kind === 'approve' ? (
              <>
                <button type="submit" name="outcome" value="approved" className="primary">
                  {t('documents.actions.approve')}
                </button>
                <button type="submit" name="outcome" value="returned" className="button secondary">
                  {t('documents.actions.return')}
                </button>
                <button type="submit" name="outcome" value="rejected" className="button secondary">
                  {t('documents.actions.reject')}
                </button>
              </>
            ) : step.kind === 'consult' ? (
              <button type="submit" name="outcome" value="opinion" className="primary">
                {t('documents.actions.opinion')}
              </button>
            ) : step.kind === 'acknowledge' ? (
              <button type="submit" name="outcome" value="acknowledged" className="primary">
                {t('documents.actions.acknowledge')}
              </button>
            ) : (
              <>
                <button type="submit" name="outcome" value="prepared" className="primary">
                  {t('documents.actions.prepare')}
                </button>
                {previewButton}
                <button type="submit" name="outcome" value="returned" className="button secondary">
                  {t('documents.actions.return')}
                </button>
              </>
            )}
          </div>
        </Form>
      ))}

      {card.isAuthor && doc.state === 'in_approval' && !card.line.some((s) => s.round === doc.round && s.state === 'done') ? (
        <details className="card">
          <summary>{t('documents.actions.withdraw')}</summary>
          <Form method="post">
            <p>{t('documents.actions.withdrawConfirm')}</p>
            <input type="hidden" name="intent" value="withdraw" />
            <input type="hidden" name="version" value={doc.version} />
            <button type="submit" className="button secondary">
              {t('documents.actions.withdraw')}
            </button>
          </Form>
        </details>
      ) : null}

      <section aria-labelledby="line">
        <h2 id="line">{t('documents.card.line')}</h2>
        <p>
          {t('documents.card.author')}: {card.author}
        </p>
        {waiting.length ? <p role="status">{t('documents.waitingOn', { names: [...new Set(waiting.map((s) => s.assignee))].join(', '), step: waiting[0].label })}</p> : null}
        {card.line.length ? (
          <div className="table-wrap" {...scrollRegion(t('documents.card.line'))}>
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('documents.lineColumns.round')}</th>
                  <th scope="col">{t('documents.lineColumns.step')}</th>
                  <th scope="col">{t('documents.lineColumns.participant')}</th>
                  <th scope="col">{t('documents.lineColumns.decision')}</th>
                  <th scope="col">{t('documents.lineColumns.comment')}</th>
                </tr>
              </thead>
              <tbody>
                {card.line.map((s) => (
                  <tr key={s.id}>
                    <td>{s.round}</td>
                    <td>
                      {s.label} <small>({t(`documents.kinds.${s.kind}`)})</small>
                    </td>
                    <td>
                      {s.actedBy ?? s.assignee}
                      {s.onBehalfOf ? (
                        <>
                          <br />
                          <small className="on-behalf">{t('documents.card.onBehalf', { name: s.onBehalfOf })}</small>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {s.outcome ? t(`documents.outcomes.${s.outcome}`) : t(`documents.stepStates.${s.state}`)}
                      {s.actedAt ? <small> {formatInstant(s.actedAt, locale)}</small> : null}
                    </td>
                    <td>{s.comment}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>{t('documents.card.noLine')}</p>
        )}
      </section>

      <section aria-labelledby="revisions">
        <h2 id="revisions">{t('documents.card.revisions')}</h2>
        <ol className="plain">
          {card.revisions.map((r) => (
            <li key={r.id}>
              {t('documents.card.revisionN', { revision: r.revision })} — {t(`documents.card.reasons.${r.reason}`)} — {r.author} —{' '}
              {formatInstant(r.createdAt, locale)}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="trail">
        <h2 id="trail">{t('documents.card.audit')}</h2>
        <ol className="plain">
          {card.trail.map((e) => (
            <li key={e.seq}>
              {trailSentence(t, e, doc.registryNumber)} — {e.actor || t('documents.trail.system')}
              {e.onBehalfOf ? <span className="on-behalf"> ({t('documents.trail.onBehalf', { name: e.onBehalfOf })})</span> : null} —{' '}
              {formatInstant(e.occurredAt, locale)}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
