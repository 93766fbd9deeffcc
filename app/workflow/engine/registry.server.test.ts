// Registry numbers by property: whatever mix of classifications, years and rolled-back
// registrations, each (year, classification) counts 1, 2, 3 … with no gap and no repeat; and
// the number is written in the tenant's format, as its settings page shows it.
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { formatRegistryNumber } from '#app/onboarding/registry-format';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { orgUnits, tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import type { Actor } from './actor';
import { createDocument, type DocumentRow } from './documents.server';
import { belgradeYear, registration } from './registry.server';

let database: TestDatabase;
let app: DatabaseHandle;
let nikola: Actor;
let doc: DocumentRow;

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 4 });
  await seedDemo(app.db, hashPassword);
  nikola = await actorOf(app.db, 'surdulica', 'nikola.petrovic@surdulica.test');
  doc = await inTenant(app.db, nikola, (tx) => createDocument(tx, nikola, { templateKey: 'overtime-request' }));
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

class Rollback extends Error {}

const register = (classification: string, at: Date) =>
  inTenant(app.db, nikola, async (tx) => (await registration(tx, doc, classification, at, {}).returning())[0]);

describe('registry numbers', () => {
  it('are gapless and unique per tenant, year and classification, rollbacks included', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            classification: fc.constantFrom('112', '0', '4-01'),
            at: fc.constantFrom('2026-06-01T10:00:00Z', '2026-12-31T22:30:00Z', '2027-03-01T08:00:00Z'),
            rolledBack: fc.boolean(),
          }),
          { maxLength: 25 },
        ),
        async (registrations) => {
          // Classifications of their own per run: their counters start from nothing.
          const prefix = `r${run++}.`;
          const issued = new Map<string, number[]>();
          for (const r of registrations) {
            try {
              await withTenantOn(app.db, { tenantId: nikola.tenantId }, async (tx) => {
                const [row] = await registration(tx, doc, prefix + r.classification, new Date(r.at), {}).returning();
                if (r.rolledBack) throw new Rollback();
                const key = `${row.registryYear}/${row.registryClass}`;
                issued.set(key, [...(issued.get(key) ?? []), row.registrySeq!]);
                expect(row.registryYear).toBe(belgradeYear(new Date(r.at)));
              });
            } catch (error) {
              if (!(error instanceof Rollback)) throw error;
            }
          }
          for (const seqs of issued.values()) expect(seqs).toEqual(seqs.map((_, i) => i + 1));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('are written in the tenant’s format, with the code of the author’s unit, as the settings page shows it', async () => {
    const [unit] = await inTenant(app.db, nikola, (tx) => tx.select({ code: orgUnits.code }).from(orgUnits).where(eq(orgUnits.id, doc.authorUnitId!)));
    for (const format of ['{class}-{seq}/{year}', '{unit}/{class}-{seq}/{year}', '{year}.{seq} ({class})']) {
      await inTenant(app.db, nikola, (tx) => tx.update(tenants).set({ registryFormat: format }).where(eq(tenants.id, nikola.tenantId)));
      const row = await register('4-01', new Date('2026-06-01T10:00:00Z'));
      expect(row.registryNumber).toBe(formatRegistryNumber(format, { class: '4-01', seq: row.registrySeq!, year: 2026, unit: unit.code }));
    }
  });

  it('count in the Belgrade calendar year', async () => {
    expect(belgradeYear(new Date('2026-12-31T23:30:00Z'))).toBe(2027);
    expect(belgradeYear(new Date('2026-12-31T22:59:00Z'))).toBe(2026);
    expect(await register('5', new Date('2026-12-31T23:30:00Z'))).toMatchObject({ registryYear: 2027, registrySeq: 1 });
  });
});
