// A tenant's data as one archive: a manifest, the settings as JSON, a CSV per table, every
// document as JSON (registered ones also as PDF: the sealed original once it is sealed), the
// registry log and the audit trail.
import { and, asc, eq, gt } from 'drizzle-orm';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { appendAudit } from '#db/audit';
import type { Tx } from '#db/client';
import {
  adoptions,
  auditEvents,
  documentAttachments,
  documentRevisions,
  documents,
  documentSteps,
  holidays,
  memberships,
  sealedDocuments,
  tenants,
  templates,
  templateVersions,
} from '#db/schema';
import { csvText } from '#app/csv/csv.server';
import type { Locale } from '#app/i18n/resources';
import { documentPdf } from '#app/workflow/documents/pdf.server';
import { printableDocument } from '#app/workflow/documents/printable.server';
import { registryLogCsv } from '#app/workflow/documents/registry-log.server';
import { auditActor, type Actor } from './actor';
import { staffWithInvitations } from './staff';
import { substituteList } from './substitutes';
import { unitTree } from './units';

export interface ExportFile {
  path: string;
  rows: number;
  content: string | Uint8Array;
}

export interface ExportSection {
  name: string;
  /** `locale` is the language of what is written for people: PDFs and the registry log. */
  files(tx: Tx, tenantId: string, locale: Locale): Promise<ExportFile[]>;
}

/** One table of the archive, through the one CSV writer (formulas neutralised, dates in ISO 8601). */
export function csv(path: string, columns: string[], rows: Array<Record<string, unknown>>): ExportFile {
  return { path, rows: rows.length, content: csvText(rows, { columns }) };
}

const organisation: ExportSection = {
  name: 'organisation',
  async files(tx, tenantId) {
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
    const { all } = await unitTree(tx, tenantId);
    const codeOf = new Map(all.map((u) => [u.id, u.code]));
    const staff = await staffWithInvitations(tx, tenantId);
    const subs = await substituteList(tx, tenantId);
    const days = await tx.select().from(holidays).where(eq(holidays.tenantId, tenantId)).orderBy(asc(holidays.date));
    return [
      { path: 'tenant.json', rows: 1, content: JSON.stringify(tenant, null, 2) },
      csv('org-units.csv', ['id', 'code', 'name', 'name_en', 'parent_code'], all.map((u) => ({ id: u.id, code: u.code, name: u.name, name_en: u.nameEn, parent_code: u.parentId ? codeOf.get(u.parentId) : '' }))),
      csv(
        'staff.csv',
        ['membership_id', 'email', 'full_name', 'position', 'unit_code', 'roles', 'active', 'invitation'],
        staff.map((s) => ({
          membership_id: s.id,
          email: s.email,
          full_name: s.fullName,
          position: s.position,
          unit_code: s.unitId ? codeOf.get(s.unitId) : '',
          roles: s.roles.join(' '),
          active: s.active,
          invitation: s.invitation,
        })),
      ),
      csv('substitutes.csv', ['id', 'absent', 'substitute', 'starts_on', 'ends_on', 'note'], subs.map((s) => ({ id: s.id, absent: s.absentName, substitute: s.substituteName, starts_on: s.startsOn, ends_on: s.endsOn, note: s.note }))),
      csv('holidays.csv', ['date', 'name'], days),
    ];
  },
};

const templateAdoptions: ExportSection = {
  name: 'adoptions',
  async files(tx, tenantId) {
    const rows = await tx
      .select({ template: templates.key, version: templateVersions.version, adopted_at: adoptions.adoptedAt, parameters: adoptions.parameters, positions: adoptions.positions })
      .from(adoptions)
      .innerJoin(templates, eq(templates.id, adoptions.templateId))
      .innerJoin(templateVersions, eq(templateVersions.id, adoptions.versionId))
      .where(eq(adoptions.tenantId, tenantId))
      .orderBy(asc(templates.key));
    return [csv('adoptions.csv', ['template', 'version', 'adopted_at', 'parameters', 'positions'], rows)];
  },
};

const auditTrail: ExportSection = {
  name: 'audit',
  async files(tx, tenantId) {
    const rows: Array<Record<string, unknown>> = [];
    for (let after = 0; ; ) {
      const page = await tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenantId), gt(auditEvents.seq, after)))
        .orderBy(asc(auditEvents.seq))
        .limit(5000);
      for (const e of page) {
        rows.push({
          seq: e.seq,
          occurred_at: e.occurredAt,
          actor_user_id: e.actorUserId,
          on_behalf_of_user_id: e.onBehalfOfUserId,
          ip: e.ip,
          user_agent: e.userAgent,
          type: e.type,
          subject_type: e.subjectType,
          subject_id: e.subjectId,
          data: e.data,
          prev_hash: e.prevHash,
          hash: e.hash,
        });
      }
      if (page.length < 5000) break;
      after = page[page.length - 1].seq;
    }
    const columns = ['seq', 'occurred_at', 'actor_user_id', 'on_behalf_of_user_id', 'ip', 'user_agent', 'type', 'subject_type', 'subject_id', 'data', 'prev_hash', 'hash'];
    return [csv('audit-events.csv', columns, rows)];
  },
};

const groupBy = <T extends { documentId: string }>(rows: T[]) => {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(r.documentId, [...(out.get(r.documentId) ?? []), r]);
  return out;
};

const documentFiles: ExportSection = {
  name: 'documents',
  async files(tx, tenantId, locale) {
    const docs = await tx
      .select({ document: documents, template: templates.key, templateVersion: templateVersions.version, author: memberships.fullName })
      .from(documents)
      .innerJoin(templates, eq(templates.id, documents.templateId))
      .innerJoin(templateVersions, eq(templateVersions.id, documents.versionId))
      .innerJoin(memberships, and(eq(memberships.tenantId, documents.tenantId), eq(memberships.id, documents.authorId)))
      .where(eq(documents.tenantId, tenantId))
      .orderBy(asc(documents.createdAt), asc(documents.id));
    const steps = groupBy(await tx.select().from(documentSteps).where(eq(documentSteps.tenantId, tenantId)).orderBy(asc(documentSteps.round), asc(documentSteps.stage), asc(documentSteps.stepKey)));
    const revisions = groupBy(await tx.select().from(documentRevisions).where(eq(documentRevisions.tenantId, tenantId)).orderBy(asc(documentRevisions.revision)));
    const attachments = groupBy(await tx.select().from(documentAttachments).where(eq(documentAttachments.tenantId, tenantId)).orderBy(asc(documentAttachments.createdAt)));
    const sealed = new Map(
      (await tx.select({ documentId: sealedDocuments.documentId, pdf: sealedDocuments.pdf }).from(sealedDocuments).where(eq(sealedDocuments.tenantId, tenantId))).map((s) => [s.documentId, s.pdf]),
    );
    const files: ExportFile[] = [
      csv(
        'documents.csv',
        ['id', 'template', 'template_version', 'state', 'registry_number', 'author', 'created_at', 'submitted_at', 'registered_at'],
        docs.map((d) => ({
          id: d.document.id,
          template: d.template,
          template_version: d.templateVersion,
          state: d.document.state,
          registry_number: d.document.registryNumber,
          author: d.author,
          created_at: d.document.createdAt,
          submitted_at: d.document.submittedAt,
          registered_at: d.document.registeredAt,
        })),
      ),
    ];
    for (const d of docs) {
      const id = d.document.id;
      const attached = attachments.get(id) ?? [];
      const record = {
        ...d.document,
        template: { key: d.template, version: d.templateVersion },
        author: d.author,
        line: steps.get(id) ?? [],
        revisions: revisions.get(id) ?? [],
        attachments: attached.map((a) => ({
          id: a.id,
          field: a.field,
          fileName: a.fileName,
          contentType: a.contentType,
          size: a.size,
          sha256: a.sha256,
          uploadedById: a.uploadedById,
          createdAt: a.createdAt,
          path: `documents/${id}/attachments/${a.id}`,
        })),
      };
      files.push({ path: `documents/${id}.json`, rows: 1, content: JSON.stringify(record, null, 2) });
      for (const a of attached) files.push({ path: `documents/${id}/attachments/${a.id}`, rows: 1, content: a.content });
      // A sealed original as it was sealed; a numbered document not sealed (yet), printed now.
      const original = sealed.get(id);
      if (original) files.push({ path: `documents/${id}.pdf`, rows: 1, content: original });
      else if (d.document.registryNumber) {
        const printable = await printableDocument(tx, { tenantId, documentId: id, locale });
        if (printable) files.push({ path: `documents/${id}.pdf`, rows: 1, content: await documentPdf(printable) });
      }
    }
    // The whole log, oldest first, read in this transaction so it matches the documents above.
    const log = registryLogCsv((fn) => fn(tx), tenantId, { order: 'asc' }, locale);
    const chunks: Buffer[] = [];
    for await (const chunk of log) chunks.push(Buffer.from(chunk));
    const registry = Buffer.concat(chunks).toString('utf8');
    files.push({ path: 'registry-log.csv', rows: docs.filter((d) => d.document.registryNumber).length, content: registry });
    return files;
  },
};

export const exportSections: ExportSection[] = [organisation, templateAdoptions, documentFiles, auditTrail];

/**
 * The archive, built inside the caller's tenant transaction so every file shows the same
 * moment. The export itself is audited first, so the trail in the archive records it.
 */
export async function exportTenant(tx: Tx, tenantId: string, actor: Actor, locale?: Locale): Promise<{ zip: Uint8Array; files: ExportFile[] }> {
  await appendAudit(tx, tenantId, { type: 'tenant.exported', subjectType: 'tenant', subjectId: tenantId, ...auditActor(actor), data: { sections: exportSections.map((s) => s.name) } }, { now: true });
  const [tenant] = await tx.select({ defaultLocale: tenants.defaultLocale }).from(tenants).where(eq(tenants.id, tenantId));
  const files: ExportFile[] = [];
  for (const section of exportSections) files.push(...(await section.files(tx, tenantId, locale ?? tenant.defaultLocale)));
  const manifest = {
    format: 'delovod-tenant-export',
    version: 1,
    tenantId,
    exportedAt: new Date().toISOString(),
    exportedBy: actor.userId,
    files: files.map((f) => ({ path: f.path, rows: f.rows })),
  };
  const entries: Zippable = { 'manifest.json': strToU8(JSON.stringify(manifest, null, 2)) };
  for (const f of files) entries[f.path] = typeof f.content === 'string' ? strToU8(f.content) : f.content;
  return { zip: zipSync(entries, { level: 6 }), files };
}
