// A tenant's data as one archive: a manifest, the settings as JSON, and a CSV per table.
// Each area is a section; documents and the registry log join as sections of their own.
import { and, asc, eq, gt } from 'drizzle-orm';
import { strToU8, zipSync, type Zippable } from 'fflate';
import Papa from 'papaparse';
import { appendAudit } from '#db/audit';
import type { Tx } from '#db/client';
import { adoptions, auditEvents, holidays, tenants, templates, templateVersions } from '#db/schema';
import { auditActor, type Actor } from './actor';
import { staffWithInvitations } from './staff';
import { substituteList } from './substitutes';
import { unitTree } from './units';

export interface ExportFile {
  path: string;
  rows: number;
  content: string;
}

export interface ExportSection {
  name: string;
  files(tx: Tx, tenantId: string): Promise<ExportFile[]>;
}

// Spreadsheets run cells that start like a formula; a leading apostrophe keeps them text.
const safeCell = (v: unknown) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

export function csv(path: string, columns: string[], rows: Array<Record<string, unknown>>): ExportFile {
  const data = rows.map((r) => columns.map((c) => {
    const v = r[c];
    return safeCell(v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : v);
  }));
  // The byte order mark makes spreadsheet programs read the UTF-8 (Cyrillic) correctly.
  return { path, rows: rows.length, content: '\uFEFF' + Papa.unparse({ fields: columns, data }, { newline: '\r\n' }) };
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

export const exportSections: ExportSection[] = [organisation, templateAdoptions, auditTrail];

/**
 * The archive, built inside the caller's tenant transaction so every file shows the same
 * moment. The export itself is audited first, so the trail in the archive records it.
 */
export async function exportTenant(tx: Tx, tenantId: string, actor: Actor): Promise<{ zip: Uint8Array; files: ExportFile[] }> {
  await appendAudit(tx, tenantId, { type: 'tenant.exported', subjectType: 'tenant', subjectId: tenantId, ...auditActor(actor), data: { sections: exportSections.map((s) => s.name) } });
  const files: ExportFile[] = [];
  for (const section of exportSections) files.push(...(await section.files(tx, tenantId)));
  const manifest = {
    format: 'delovod-tenant-export',
    version: 1,
    tenantId,
    exportedAt: new Date().toISOString(),
    exportedBy: actor.userId,
    files: files.map((f) => ({ path: f.path, rows: f.rows })),
  };
  const entries: Zippable = { 'manifest.json': strToU8(JSON.stringify(manifest, null, 2)) };
  for (const f of files) entries[f.path] = strToU8(f.content);
  return { zip: zipSync(entries, { level: 6 }), files };
}
