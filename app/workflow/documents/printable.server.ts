// A registered document gathered and worded for print: everything the PDF shows, in the
// reader's language and script, with no id left for a person to decode.
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { adoptions, documentAttachments, documents, memberships, orgUnits, tenants, type DocumentState } from '#db/schema';
import { i18nFor } from '../../i18n/i18n';
import { scriptOf } from '../../i18n/resources';
import { inScript, toLatin } from '../../i18n/transliterate';
import { definitionOf } from '../engine/definitions.server';
import { lineOf } from '../engine/find-steps.server';
import type { Outcome } from '../engine/transition.server';
import { moneyBasis } from '../template/basis';
import type { SubmissionValues } from '../template/compute';
import type { Locale } from '../template/labels';
import type { TemplateVersion } from '../template/schema';
import { resolveTenantParameters } from '../template/parameters';
import { displayComputedValue, displayFieldValue } from './format';
import { belgradeDateTime } from '../../time/belgrade';

export interface PrintableStep {
  round: number;
  step: string;
  state: 'waiting' | 'pending' | 'done' | 'skipped';
  outcome: Outcome | null;
  /** Who acted (or, while the step waits, who it waits for). */
  name: string;
  position: string;
  /** The absent approver a substitute acted for (proxy approval). */
  onBehalfOf: string | null;
  actedAt: { date: string; time: string } | null;
  comment: string | null;
}

export interface PrintableDocument {
  id: string;
  locale: Locale;
  /** The tenant's name; for Serbian, in Cyrillic with its Latin form (Constitution art. 10). */
  tenantName: string;
  tenantNameLatin: string | null;
  title: string;
  registryNumber: string;
  registeredAt: { date: string; time: string };
  state: DocumentState;
  author: { name: string; position: string; unit: string | null };
  fields: Array<{ label: string; value: string }>;
  /** With what each amount is made of ('6,50 × 650,00 дин. × 26 %'), as the card states it. */
  computed: Array<{ label: string; value: string; basis: string | null }>;
  line: PrintableStep[];
  rounds: number;
}

export interface PrintableRequest {
  tenantId: string;
  documentId: string;
  locale: Locale;
}

/** The document as print shows it, or null when the tenant has no such registered document. */
export async function printableDocument(tx: Tx, { tenantId, documentId, locale }: PrintableRequest): Promise<PrintableDocument | null> {
  const [doc] = await tx
    .select()
    .from(documents)
    .where(and(eq(documents.tenantId, tenantId), eq(documents.id, documentId)));
  if (!doc?.registryNumber || !doc.registeredAt) return null;
  const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
  const def = await definitionOf(tx, doc.versionId);
  const steps = await lineOf(tx, tenantId, documentId);
  const values = doc.values as Record<string, unknown>;
  const t = i18nFor(locale).t;
  const script = scriptOf(locale);
  const serbian = (text: string) => inScript(text, script);

  const idsOf = (type: string) =>
    def.fields
      .filter((f) => f.type === type)
      .flatMap((f) => (Array.isArray(values[f.name]) ? (values[f.name] as unknown[]) : [values[f.name]]))
      .filter((v): v is string => typeof v === 'string' && v.length > 0);

  const memberIds = [doc.authorId, ...idsOf('staff'), ...steps.flatMap((s) => [s.assigneeId, s.actedById, s.onBehalfOfId])].filter(
    (id): id is string => !!id,
  );
  const members = new Map(
    (
      await tx
        .select({ id: memberships.id, fullName: memberships.fullName, position: memberships.position, orgUnitId: memberships.orgUnitId })
        .from(memberships)
        .where(and(eq(memberships.tenantId, tenantId), inArray(memberships.id, [...new Set(memberIds)])))
    ).map((m) => [m.id, m]),
  );
  const units = new Map(
    (await tx.select().from(orgUnits).where(eq(orgUnits.tenantId, tenantId))).map((u) => [u.id, locale === 'en' ? u.nameEn : serbian(u.name)]),
  );
  const linkIds = idsOf('document');
  const linked = new Map<string, string>();
  if (linkIds.length) {
    const rows = await tx
      .select({ id: documents.id, registryNumber: documents.registryNumber, versionId: documents.versionId })
      .from(documents)
      .where(and(eq(documents.tenantId, tenantId), inArray(documents.id, linkIds)));
    for (const r of rows) {
      const title = (await definitionOf(tx, r.versionId)).title[locale];
      linked.set(r.id, r.registryNumber ? `${r.registryNumber} — ${title}` : `${title} (${t('registry.pdf.unregisteredLink')})`);
    }
  }
  const attachmentIds = idsOf('attachment');
  const files = new Map(
    attachmentIds.length
      ? (
          await tx
            .select({ id: documentAttachments.id, fileName: documentAttachments.fileName })
            .from(documentAttachments)
            .where(and(eq(documentAttachments.tenantId, tenantId), inArray(documentAttachments.id, attachmentIds)))
        ).map((a) => [a.id, a.fileName])
      : [],
  );

  const nameOf = (id: string | null) => {
    const m = id ? members.get(id) : undefined;
    return m ? serbian(m.fullName) : '';
  };
  const positionOf = (id: string | null) => {
    const m = id ? members.get(id) : undefined;
    return m ? serbian(m.position) : '';
  };
  const lookups = {
    staff: (id: string) => (members.has(id) ? nameOf(id) : undefined),
    unit: (id: string) => units.get(id),
    document: (id: string) => linked.get(id),
    attachment: (id: string) => files.get(id),
    yes: t('registry.pdf.yes'),
    no: t('registry.pdf.no'),
    empty: t('registry.pdf.empty'),
  };
  const computedValues = doc.computed as Record<string, unknown>;
  // The parameters the amounts were computed with, stored with them; a row older than migration
  // 0091 has none, and today's adoption stands in (a basis is stated only where it gives the amount).
  const tenantParameters = doc.computedParameters ?? (await todaysParameters(tx, tenantId, doc.templateId, def));
  const basis = moneyBasis(def, { values: values as SubmissionValues, computed: computedValues as Record<string, string>, tenantParameters }, locale);
  const author = members.get(doc.authorId);
  const stepLabels = new Map(def.route.map((s) => [s.id, s.label[locale]]));

  return {
    id: doc.id,
    locale,
    tenantName: locale === 'en' ? tenant.nameEn : tenant.nameCyrl,
    tenantNameLatin: locale === 'en' ? null : tenant.nameLatn || toLatin(tenant.nameCyrl),
    title: def.title[locale],
    registryNumber: doc.registryNumber,
    registeredAt: belgradeDateTime(doc.registeredAt),
    state: doc.state,
    author: {
      name: nameOf(doc.authorId),
      position: positionOf(doc.authorId),
      unit: (doc.authorUnitId ? units.get(doc.authorUnitId) : author?.orgUnitId ? units.get(author.orgUnitId) : undefined) ?? null,
    },
    fields: def.fields.map((f) => ({ label: f.label[locale], value: displayFieldValue(f, values[f.name], locale, lookups) })),
    computed: def.computed
      .filter((c) => computedValues[c.name] !== undefined)
      .map((c) => ({ label: c.label[locale], value: displayComputedValue(c, computedValues[c.name], locale, lookups.empty), basis: basis[c.name] ?? null })),
    // Candidates released when a colleague acted for the same step took no part in the line.
    line: steps
      .filter((s) => s.state !== 'skipped')
      .map((s) => {
        const person = s.state === 'done' ? (s.actedById ?? s.assigneeId) : s.assigneeId;
        return {
          round: s.round,
          step: stepLabels.get(s.stepKey) ?? s.stepKey,
          state: s.state,
          outcome: s.outcome,
          name: nameOf(person),
          position: positionOf(person),
          onBehalfOf: s.onBehalfOfId ? nameOf(s.onBehalfOfId) : null,
          actedAt: s.actedAt ? belgradeDateTime(s.actedAt) : null,
          comment: s.comment,
        };
      }),
    rounds: doc.round,
  };
}

async function todaysParameters(tx: Tx, tenantId: string, templateId: string, def: TemplateVersion) {
  const [adoption] = await tx
    .select({ parameters: adoptions.parameters })
    .from(adoptions)
    .where(and(eq(adoptions.tenantId, tenantId), eq(adoptions.templateId, templateId)));
  return resolveTenantParameters(def, (adoption?.parameters ?? {}) as Record<string, number>);
}
