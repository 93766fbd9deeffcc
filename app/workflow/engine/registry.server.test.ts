// Registry numbers by property: whatever mix of classifications, years and rolled-back
// registrations, each (year, classification) counts 1, 2, 3 … with no gap and no repeat.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import { belgradeYear, formatRegistryNumber, nextRegistryNumber } from './registry.server';

let database: TestDatabase;
let app: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  app = connectPostgres(database.appUrl, { max: 4 });
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

class Rollback extends Error {}

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
          // A fresh tenant per run: its counters start from nothing.
          const [tenant] = await app.db
            .insert(tenants)
            .values({ slug: `registry-${run++}`, kind: 'municipality', nameCyrl: 'О', nameLatn: 'O', nameEn: 'O' })
            .returning();
          const issued = new Map<string, number[]>();
          for (const r of registrations) {
            try {
              await withTenantOn(app.db, { tenantId: tenant.id }, async (tx) => {
                const n = await nextRegistryNumber(tx, tenant.id, r.classification, new Date(r.at));
                if (r.rolledBack) throw new Rollback();
                const key = `${n.year}/${n.classification}`;
                issued.set(key, [...(issued.get(key) ?? []), n.seq]);
                expect(n.display).toBe(`${r.classification}-${n.seq}/${n.year}`);
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

  it('counts in the Belgrade calendar year and formats by the tenant’s pattern', () => {
    expect(belgradeYear(new Date('2026-12-31T23:30:00Z'))).toBe(2027);
    expect(belgradeYear(new Date('2026-12-31T22:59:00Z'))).toBe(2026);
    expect(formatRegistryNumber('{unit}/{class}-{seq}/{year}', { classification: '112', seq: 7, year: 2026, unit: 'PRV' })).toBe('PRV/112-7/2026');
  });
});
