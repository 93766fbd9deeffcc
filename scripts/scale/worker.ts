// A seed worker (a child process of seed-scale.ts): simulates its share of the tenants, in
// tenant order, and streams the rows into one COPY per table. Two workers use both cores.
import postgres from 'postgres';
import { resolveAssignees } from '#app/workflow/engine/assignees.server';
import { chainHash } from '#db/audit';
import { connectPostgres, type Database } from '#db/client';
import { withTenantOn } from '#db/tenant';
import { templateVersionSchema, type Step, type TemplateVersion } from '#app/workflow/template/schema';
import { serbianPublicHolidays } from '#app/workflow/calendar/holidays';
import { CopyStream } from './copy';
import { TenantSimulation, type Assignees, type MemberRow, type TenantInput, type TenantResult } from './simulate';
import { bulkTables, bulkTableNames, type BulkTable } from './tables';

export interface WorkerJob {
  url: string;
  seed: number;
  now: number;
  fromDate: string;
  tenants: { tenantId: string; index: number; documents: number }[];
}

export type WorkerMessage =
  | { type: 'progress'; documents: number; rows: number }
  | { type: 'tenant'; tenantId: string; result: TenantResult }
  | { type: 'done' }
  | { type: 'error'; message: string };

const send = (m: WorkerMessage) => process.send!(m);

async function run(job: WorkerJob) {
  const sql = postgres(job.url, { max: bulkTableNames.length + 2, onnotice: () => {}, connection: { application_name: 'delovod-seed-scale' } });
  const engine = connectPostgres(job.url, { max: 1, applicationName: 'delovod-seed-scale' });
  const streams = Object.fromEntries(bulkTableNames.map((t) => [t, new CopyStream(t, bulkTables[t])])) as Record<BulkTable, CopyStream>;
  try {
    for (const s of Object.values(streams)) await s.open(sql);
    let lastReport = 0;
    const rows = () => Object.values(streams).reduce((n, s) => n + s.rows, 0);
    for (const t of job.tenants) {
      const loaded = await loadTenant(sql, job, t);
      const input: TenantInput = { ...loaded, assignees: await engineAssignees(engine.db, loaded) };
      const sim = new TenantSimulation(
        input,
        {
          document: (l) => streams.documents.line(l),
          step: (l) => streams.document_steps.line(l),
          revision: (l) => streams.document_revisions.line(l),
          attachment: (l) => streams.document_attachments.line(l),
          notification: (l) => streams.notifications.line(l),
          audit: (l) => streams.audit_events.line(l),
          async drain() {
            for (const s of Object.values(streams)) if (s.pending) await s.flush();
            if (Date.now() - lastReport > 500) {
              lastReport = Date.now();
              send({ type: 'progress', documents: streams.documents.rows, rows: rows() });
            }
          },
        },
        (prev, e) => chainHash(prev, e),
      );
      const result = await sim.run();
      await sql.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${t.tenantId}, true)`;
        await tx`update audit_heads set seq = ${result.head.seq}, hash = ${result.head.hash} where tenant_id = ${t.tenantId}`;
        for (const c of result.counters) {
          await tx`insert into registry_counters (tenant_id, year, classification, last_seq) values (${t.tenantId}, ${c.year}, ${c.classification}, ${c.lastSeq})`;
        }
      });
      send({ type: 'tenant', tenantId: t.tenantId, result });
    }
    for (const s of Object.values(streams)) await s.close();
    send({ type: 'progress', documents: streams.documents.rows, rows: rows() });
    send({ type: 'done' });
  } finally {
    await engine.close();
    await sql.end({ timeout: 5 });
  }
}

/**
 * Who each step goes to for each member as author, asked of the engine's own resolveAssignees
 * before the tenant is simulated: once per role, per unit for a role in the author's unit or the
 * head of the author's unit, per head for a head's own (staff fields name their member in the
 * document). The seed's tests check the country against the engine acting on it.
 */
async function engineAssignees(db: Database, input: Omit<TenantInput, 'assignees'>): Promise<Assignees> {
  const dependsOn = (step: Step, author: MemberRow): string => {
    const a = step.assignee;
    switch (a.type) {
      case 'role':
        return `role|${a.role}`;
      case 'unitRole':
        return `unitRole|${a.role}|${author.unitId}`;
      case 'authorUnitHead':
        // A head is left out of their own unit's answer; everyone else in a unit gets the same.
        return `head|${author.unitId}|${author.roles.includes('unit_head') ? author.id : ''}`;
      case 'position':
        return `position|${a.position}`;
      case 'staffField':
        throw new Error('a staff field names its member in the document');
    }
  };
  const resolved = new Map<string, string[]>();
  const steps = input.templates.flatMap((t) => t.def.route).filter((s) => s.assignee.type !== 'staffField');
  await withTenantOn(
    db,
    { tenantId: input.tenantId },
    async (tx) => {
      for (const step of steps) {
        for (const author of input.members) {
          const key = dependsOn(step, author);
          if (resolved.has(key)) continue;
          // No adoption of the standard templates names positions.
          const line = { tenantId: input.tenantId, authorId: author.id, authorUnitId: author.unitId, values: {}, positions: {} };
          resolved.set(key, await resolveAssignees(tx, line, step));
        }
      }
    },
    { readOnly: true },
  );
  return (step, author) => resolved.get(dependsOn(step, author)) ?? [];
}

// Published versions never change; every body adopted the same ones.
const definitions = new Map<string, TemplateVersion>();
function definitionOf(versionId: string, definition: unknown): TemplateVersion {
  let def = definitions.get(versionId);
  if (!def) definitions.set(versionId, (def = templateVersionSchema.parse(definition)));
  return def;
}

function publicHolidaysBetween(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => serbianPublicHolidays(from + i).map((h) => h.date)).flat();
}

async function loadTenant(sql: postgres.Sql, job: WorkerJob, t: WorkerJob['tenants'][number]): Promise<Omit<TenantInput, 'assignees'>> {
  return sql.begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${t.tenantId}, true)`;
    const [tenant] = await tx`select registry_format from tenants where id = ${t.tenantId}`;
    // Ordered by what the seed chose (the e-mail), not by generated ids: the same --seed, the same choices.
    const members = await tx`
      select m.id, m.user_id, m.org_unit_id, m.roles from memberships m join users u on u.id = m.user_id
      where m.tenant_id = ${t.tenantId} and m.active order by u.email`;
    const units = await tx`select id, code from org_units where tenant_id = ${t.tenantId} order by code`;
    const holidays = await tx`select date::text as date from holidays where tenant_id = ${t.tenantId}`;
    const adopted = await tx`
      select tp.key, a.template_id, a.version_id, a.parameters, v.definition
      from adoptions a join templates tp on tp.id = a.template_id join template_versions v on v.id = a.version_id
      where a.tenant_id = ${t.tenantId} order by tp.key`;
    const [head] = await tx`select seq, hash from audit_heads where tenant_id = ${t.tenantId}`;
    return {
      tenantId: t.tenantId,
      index: t.index,
      seed: job.seed,
      documents: t.documents,
      now: job.now,
      fromDate: job.fromDate,
      registryFormat: tenant.registry_format,
      members: members.map((m) => ({ id: m.id, userId: m.user_id, unitId: m.org_unit_id, roles: m.roles })),
      units: units.map((u) => ({ id: u.id, code: u.code })),
      // The tenant's own days on top of the public holidays computed for every year the documents span.
      holidays: [...holidays.map((h) => h.date), ...publicHolidaysBetween(Number(job.fromDate.slice(0, 4)), new Date(job.now).getUTCFullYear() + 1)],
      templates: adopted.map((a) => ({ key: a.key, templateId: a.template_id, versionId: a.version_id, parameters: a.parameters, def: definitionOf(a.version_id, a.definition) })),
      head: { seq: Number(head.seq), hash: head.hash },
    };
  });
}

process.once('message', (job: WorkerJob) => {
  run(job).then(
    () => process.disconnect(),
    (error: unknown) => {
      send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.exitCode = 1;
      process.disconnect();
    },
  );
});
