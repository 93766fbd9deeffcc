// What the document card shows, and who may see it: the author, everyone on its line (and
// whoever stands in for them), and the registry office once it is registered.
import { isDeepStrictEqual } from 'node:util';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { anyOf } from '#db/any';
import type { Tx } from '#db/client';
import { reusableSelect } from '#db/reusable';
import { adoptions, auditEvents, documentAttachments, documentRevisions, documents, memberships, orgUnits, templates } from '#db/schema';
import type { Permission } from '../../auth/permissions';
import { inScript } from '../../i18n/transliterate';
import { scriptOf, type Locale } from '../../i18n/resources';
import { moneyBasis } from '../template/basis';
import { computeValues, type SubmissionValues } from '../template/compute';
import { computedDescriptors, fieldDescriptors } from '../template/form';
import { toDecimal } from '../template/expressions';
import { resolveTenantParameters } from '../template/parameters';
import { canReadDocument } from '../documents/access.server';
import { definitionOf, templateIdOf } from './definitions.server';
import { byValue } from './values.server';
import { actionableSteps, lineOf } from './find-steps.server';
import type { DocumentRow } from './transition.server';
import { isUuid } from '../../ids';
import { belgradeDate } from '../../time/belgrade';

export interface Viewer {
  tenantId: string;
  membershipId: string;
  permissions: Set<Permission>;
}

// The card's reads, built once (db/reusable.ts); `ids` are passed as one array parameter.
const tenantParam = sql.placeholder('tenantId');
const documentParam = sql.placeholder('documentId');
const membersSelect = (some: boolean) =>
  reusableSelect((db) =>
    db
      .select({ id: memberships.id, fullName: memberships.fullName, position: memberships.position, orgUnitId: memberships.orgUnitId, roles: memberships.roles, active: memberships.active })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantParam), some ? anyOf(memberships.id, sql.placeholder('ids')) : undefined))
      .orderBy(asc(memberships.fullName)),
  );
const someMembers = membersSelect(true);
const allMembers = membersSelect(false);

/** Members' names in the reader's script: the ones asked for, or everyone when `ids` is omitted. */
async function memberNames(tx: Tx, tenantId: string, locale: Locale, ids?: readonly string[]) {
  if (ids && !ids.length) return [];
  const rows = await (ids ? someMembers(tx, { tenantId, ids }) : allMembers(tx, { tenantId }));
  const script = scriptOf(locale);
  return rows.map((r) => ({ ...r, name: inScript(r.fullName, script), position: inScript(r.position, script) }));
}

const unitsSelect = (some: boolean) =>
  reusableSelect((db) =>
    db
      .select({ id: orgUnits.id, name: orgUnits.name, nameEn: orgUnits.nameEn })
      .from(orgUnits)
      .where(and(eq(orgUnits.tenantId, tenantParam), some ? anyOf(orgUnits.id, sql.placeholder('ids')) : undefined))
      .orderBy(asc(orgUnits.code)),
  );
const someUnits = unitsSelect(true);
const allUnits = unitsSelect(false);

/** Units' names in the reader's script: the ones asked for, or every unit when `ids` is omitted. */
async function unitNames(tx: Tx, tenantId: string, locale: Locale, ids?: readonly string[]) {
  if (ids && !ids.length) return [];
  const rows = await (ids ? someUnits(tx, { tenantId, ids }) : allUnits(tx, { tenantId }));
  return rows.map((u) => ({ id: u.id, label: locale === 'en' ? u.nameEn : inScript(u.name, scriptOf(locale)) }));
}

const documentSelect = reusableSelect((db) => db.select().from(documents).where(and(eq(documents.tenantId, tenantParam), eq(documents.id, documentParam))));
const revisionsSelect = reusableSelect((db) =>
  db
    .select({ id: documentRevisions.id, revision: documentRevisions.revision, reason: documentRevisions.reason, authorId: documentRevisions.authorId, createdAt: documentRevisions.createdAt })
    .from(documentRevisions)
    .where(and(eq(documentRevisions.tenantId, tenantParam), eq(documentRevisions.documentId, documentParam)))
    .orderBy(desc(documentRevisions.revision)),
);
const trailSelect = reusableSelect((db) =>
  db
    .select({
      seq: auditEvents.seq,
      type: auditEvents.type,
      occurredAt: auditEvents.occurredAt,
      actorId: sql<string | null>`${auditEvents.data} ->> 'actorMembershipId'`,
      step: sql<string | null>`${auditEvents.data} ->> 'step'`,
      onBehalfOfId: sql<string | null>`${auditEvents.data} ->> 'onBehalfOfMembershipId'`,
    })
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, tenantParam), eq(auditEvents.subjectType, 'document'), eq(auditEvents.subjectId, documentParam)))
    .orderBy(asc(auditEvents.seq)),
);
const attachmentsSelect = reusableSelect((db) =>
  db
    .select({ id: documentAttachments.id, field: documentAttachments.field, fileName: documentAttachments.fileName, size: documentAttachments.size })
    .from(documentAttachments)
    .where(and(eq(documentAttachments.tenantId, tenantParam), eq(documentAttachments.documentId, documentParam))),
);
const linkedSelect = reusableSelect((db) =>
  db.select({ id: documents.id, registryNumber: documents.registryNumber, createdAt: documents.createdAt }).from(documents).where(and(eq(documents.tenantId, tenantParam), eq(documents.id, documentParam))),
);

export async function loadCard(tx: Tx, viewer: Viewer, documentId: string, locale: Locale) {
  if (!isUuid(documentId)) return null;
  const reader = { tenantId: viewer.tenantId, membershipId: viewer.membershipId, registryOffice: viewer.permissions.has('read:registry:tenant') };
  // The document, whether the viewer may read it, and everything else that needs only its id,
  // sent together: one round trip's wait. What was read is shown only if the document is theirs
  // to see.
  const key = { tenantId: viewer.tenantId, documentId };
  const [[doc], readable, line, mine, revisions, trail, attachments] = await Promise.all([
    documentSelect(tx, key),
    canReadDocument(tx, reader, documentId),
    lineOf(tx, viewer.tenantId, documentId),
    actionableSteps(tx, viewer.tenantId, viewer.membershipId, documentId),
    revisionsSelect(tx, key),
    trailSelect(tx, key),
    attachmentsSelect(tx, key),
  ]);
  if (!doc || !readable) return null;
  const def = await definitionOf(tx, doc.versionId);
  const editsDraft = doc.authorId === viewer.membershipId && (doc.state === 'draft' || doc.state === 'returned');
  const fields = fieldDescriptors(def, locale);
  /** Whether the viewer fills this field here: their draft, or a step that prepares it. */
  const fillsField = (f: (typeof fields)[number]) => (editsDraft && f.editableAt.includes('draft')) || mine.some((m) => m.kind === 'prepare' && f.editableAt.includes(m.stepKey));
  const fills = (name: string) => fields.some((f) => f.name === name && fillsField(f));
  const values = doc.values as Record<string, unknown>;
  /** The ids the document's fields of this type hold. */
  const named = (type: string) => def.fields.filter((f) => f.type === type).flatMap((f) => [values[f.name]].filter(isUuid));
  // Every member (every unit) is a choice only where the viewer fills a staff (unit) field;
  // otherwise the card names just the people and units it mentions.
  const picksStaff = fields.some((f) => f.type === 'staff' && fillsField(f));
  const picksUnit = fields.some((f) => f.type === 'orgUnit' && fillsField(f));
  const mentioned = new Set<string>([doc.authorId, ...named('staff')]);
  for (const s of line) for (const id of [s.assigneeId, s.actedById, s.onBehalfOfId]) if (id) mentioned.add(id);
  for (const r of revisions) mentioned.add(r.authorId);
  for (const e of trail) for (const id of [e.actorId, e.onBehalfOfId]) if (id) mentioned.add(id);
  // Documents a `document` field may link to: this tenant's, of the named template, in an allowed
  // state, the author's own or about them. Listed only where the viewer fills the field; a reader
  // needs just the one it names.
  const linkableOf = async (field: (typeof def.fields)[number] & { type: 'document' }) => {
    const value = values[field.name];
    const rows = fills(field.name)
      ? await linkableDocuments(tx, viewer.tenantId, field.template, field.status as DocumentRow['state'][], doc.authorId)
      : isUuid(value)
        ? await linkedSelect(tx, { tenantId: viewer.tenantId, documentId: value })
        : [];
    return [field.name, rows.map((r) => ({ id: r.id, label: r.registryNumber ?? belgradeDate(r.createdAt) }))] as const;
  };
  const offered =
    doc.state === 'approved' || doc.state === 'registered'
      ? def.followUps.filter((f) => f.mode === 'offer' && (f.when === 'approved' || doc.state === 'registered')).map((f) => f.template)
      : [];
  // Offered only where the tenant adopted the follow-up template, under the title it adopted.
  // Only the author drafts the next document of the chain; one they already drafted from this
  // one is linked instead of offered again.
  const isAuthor = doc.authorId === viewer.membershipId;
  const followUpOf = async (key: string) => {
    const [adopted] = await tx
      .select({ versionId: adoptions.versionId, templateId: adoptions.templateId })
      .from(adoptions)
      .innerJoin(templates, eq(templates.id, adoptions.templateId))
      .where(and(eq(adoptions.tenantId, viewer.tenantId), eq(templates.key, key)));
    if (!adopted) return [];
    const [drafted] = await tx
      .select({ id: documents.id })
      .from(documents)
      .where(and(eq(documents.tenantId, viewer.tenantId), eq(documents.authorId, viewer.membershipId), eq(documents.sourceDocumentId, doc.id), eq(documents.templateId, adopted.templateId)))
      .limit(1);
    return [{ key, title: (await definitionOf(tx, adopted.versionId)).title[locale], draftedId: drafted?.id ?? null }];
  };
  const adoptedParameters = tx
    .select({ parameters: adoptions.parameters })
    .from(adoptions)
    .where(and(eq(adoptions.tenantId, viewer.tenantId), eq(adoptions.templateId, doc.templateId)))
    .then(([row]) => resolveTenantParameters(def, (row?.parameters ?? {}) as Record<string, number>));
  const [people, units, linked, followUps, tenantParameters] = await Promise.all([
    memberNames(tx, viewer.tenantId, locale, picksStaff ? undefined : [...mentioned].filter(isUuid)),
    unitNames(tx, viewer.tenantId, locale, picksUnit ? undefined : named('orgUnit')),
    Promise.all(def.fields.filter((f): f is typeof f & { type: 'document' } => f.type === 'document').map(linkableOf)),
    Promise.all((isAuthor ? offered : []).map(followUpOf)).then((found) => found.flat()),
    adoptedParameters,
  ]);
  const linkable: Record<string, { id: string; label: string }[]> = Object.fromEntries(linked);
  const byId = new Map(people.map((p) => [p.id, p]));
  const nameOf = (id: string | null) => (id ? (byId.get(id)?.name ?? '') : '');
  return {
    doc,
    title: def.title[locale],
    templateVersion: def.version,
    templateKey: def.key,
    fields,
    computed: computedDescriptors(def, locale),
    // What every amount stored with the document is made of, as the server computed it: with the
    // parameters stored with the amounts (a row older than migration 0091 has none: today's).
    computedBasis: moneyBasis(
      def,
      { values: values as SubmissionValues, computed: doc.computed as Record<string, string>, tenantParameters: doc.computedParameters ?? tenantParameters },
      locale,
    ),
    // The stored amounts are what a save of the stored values would store today: computed from
    // these values (a saved draft keeps its values only) and with today's parameters (stored
    // with the amounts since migration 0091; a row without them is judged by its amounts).
    computedCurrent:
      (doc.computedParameters == null || isDeepStrictEqual(doc.computedParameters, tenantParameters)) &&
      isDeepStrictEqual(computeValues(def, { values: values as SubmissionValues, tenantParameters }), doc.computed ?? {}),
    // Just enough of the template for the browser to recompute while the user types, with the
    // same code (compute.ts, expressions.ts, field-values.ts); the server recomputes on save.
    computing: { fields: def.fields, computed: def.computed, rules: def.rules, tenantParameters: def.tenantParameters, parameterValues: tenantParameters },
    line: line.map((s) => ({
      id: s.id,
      round: s.round,
      kind: s.kind,
      state: s.state,
      outcome: s.outcome,
      comment: s.comment,
      actedAt: s.actedAt,
      label: def.route.find((r) => r.id === s.stepKey)?.label[locale] ?? s.stepKey,
      assignee: nameOf(s.assigneeId),
      actedBy: s.actedById ? nameOf(s.actedById) : null,
      onBehalfOf: s.onBehalfOfId ? nameOf(s.onBehalfOfId) : null,
    })),
    mine: mine.map((s) => ({
      id: s.id,
      kind: s.kind,
      stepKey: s.stepKey,
      label: def.route.find((r) => r.id === s.stepKey)?.label[locale] ?? s.stepKey,
      forName: s.assigneeId === viewer.membershipId ? null : nameOf(s.assigneeId),
      editable: fields.filter((f) => f.editableAt.includes(s.stepKey)),
    })),
    author: nameOf(doc.authorId),
    revisions: revisions.map((r) => ({ ...r, author: nameOf(r.authorId) })),
    // Each event as the card's sentence needs it: the step's name, not its key; people by name.
    trail: trail.map((e) => ({
      seq: e.seq,
      type: e.type,
      occurredAt: e.occurredAt,
      actor: nameOf(e.actorId),
      step: e.step ? (def.route.find((r) => r.id === e.step)?.label[locale] ?? e.step) : null,
      onBehalfOf: e.onBehalfOfId ? nameOf(e.onBehalfOfId) : null,
    })),
    attachments,
    // A member named in a finished document stays named even after leaving; only the active are choices.
    staff: people.filter((p) => p.active || !picksStaff).map((p) => ({ id: p.id, label: `${p.name} — ${p.position}`, roles: p.roles })),
    units,
    linkable,
    followUps,
    // One month, one payment: a registered slip is corrected by a corrective slip, never paid twice.
    correctable: doc.state === 'registered' && !!def.aggregate && !!doc.periodKey && !doc.correctsId,
    corrects: doc.correctsId ? await correctedNumber(tx, viewer.tenantId, doc.correctsId) : null,
    exceedsSource: await exceedsSource(tx, doc),
    deduction: deductionOf(def, doc),
    isAuthor,
  };
}

export type Card = NonNullable<Awaited<ReturnType<typeof loadCard>>>;

/**
 * A corrective slip whose difference is negative (the confirmed hours went down after payment,
 * issue 22) recovers money: the hours of its first summed field and, once computed, its total — the last
 * money value — as positive figures for a sentence that says "to recover".
 */
function deductionOf(def: Awaited<ReturnType<typeof definitionOf>>, doc: DocumentRow): { hours: string; amount: string | null } | null {
  if (!doc.correctsId || !def.aggregate) return null;
  const values = doc.values as Record<string, unknown>;
  // In the form's order (the stored definition's object keys come back from jsonb re-sorted).
  const summed = new Set(Object.keys(def.aggregate.sum));
  const sums = def.fields.filter((f) => summed.has(f.name)).map((f) => values[f.name]).filter((v): v is string => typeof v === 'string');
  if (!sums.length || !sums.some((v) => toDecimal(v).isNegative() && !toDecimal(v).isZero())) return null;
  const total = [...def.computed].reverse().find((c) => c.kind === 'money');
  const amount = total ? (doc.computed as Record<string, unknown>)[total.name] : undefined;
  return {
    hours: toDecimal(sums[0]).abs().toFixed(2),
    amount: typeof amount === 'string' && toDecimal(amount).isNegative() ? toDecimal(amount).abs().toFixed(2) : null,
  };
}

/**
 * The latest 200 documents of a template in the given states that the author wrote or that are
 * about them (`employee`): two index reads (by author; by template and employee) merged, where
 * one query with OR would read the tenant's whole template.
 */
async function linkableDocuments(tx: Tx, tenantId: string, templateKey: string, states: DocumentRow['state'][], authorId: string) {
  const limit = 200;
  const templateId = await templateIdOf(tx, templateKey);
  if (!templateId) return [];
  const columns = { id: documents.id, registryNumber: documents.registryNumber, createdAt: documents.createdAt };
  const of = and(eq(documents.tenantId, tenantId), eq(documents.templateId, templateId), inArray(documents.state, states));
  const [written, about] = await Promise.all([
    tx.select(columns).from(documents).where(and(of, eq(documents.authorId, authorId))).orderBy(desc(documents.createdAt)).limit(limit),
    tx.select(columns).from(documents).where(and(of, byValue('employee', authorId))).orderBy(desc(documents.createdAt)).limit(limit),
  ]);
  const byId = new Map([...written, ...about].map((r) => [r.id, r]));
  return [...byId.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, limit);
}

async function correctedNumber(tx: Tx, tenantId: string, documentId: string): Promise<{ id: string; number: string }> {
  const [row] = await tx
    .select({ number: documents.registryNumber })
    .from(documents)
    .where(and(eq(documents.tenantId, tenantId), eq(documents.id, documentId)));
  return { id: documentId, number: row?.number ?? '' };
}

/**
 * Hours reported above what the source document approved (a result report longer than its
 * approved request): shown to whoever reads the card, the confirming head first, never
 * silently accepted. Both templates name their hours `hours` (a computed decimal).
 */
async function exceedsSource(tx: Tx, doc: typeof documents.$inferSelect): Promise<{ reported: string; approved: string } | null> {
  const reported = (doc.computed as Record<string, unknown>).hours;
  if (!doc.sourceDocumentId || typeof reported !== 'string') return null;
  const [source] = await tx
    .select({ computed: documents.computed })
    .from(documents)
    .where(and(eq(documents.tenantId, doc.tenantId), eq(documents.id, doc.sourceDocumentId)));
  const approved = (source?.computed as Record<string, unknown> | undefined)?.hours;
  if (typeof approved !== 'string' || !toDecimal(reported).gt(toDecimal(approved))) return null;
  return { reported, approved };
}
