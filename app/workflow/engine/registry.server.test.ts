// Registry numbers by property: whatever mix of classifications, years and rolled-back
// registrations, each (year, classification) counts 1, 2, 3 … with no gap and no repeat; and
// the number is written in the tenant's format, as its settings page previews it.
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '#app/auth/password.server';
import { formatRegistryNumber, registryFormatProblem, registryTokens } from '#app/onboarding/registry-format';
import { belgradeYear } from '#app/time/belgrade';
import { connectPostgres, type DatabaseHandle } from '#db/client';
import { orgUnits, tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { seedDemo } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { createTestDatabase, type TestDatabase } from '#tests/support/pg';
import type { Actor } from './actor';
import { createDocument } from './create-document.server';
import type { DocumentRow } from './transition.server';
import { registerDocument } from './registry.server';

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
  inTenant(app.db, nikola, async (tx) => registerDocument(tx, doc, classification, at, {}));

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
                const row = await registerDocument(tx, doc, prefix + r.classification, new Date(r.at), {});
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

  // Any format the settings page accepts: tokens (each required one at least once, {unit} and
  // repeats as they come) between runs of the literal characters it allows.
  const literal = fc.string({ unit: fc.constantFrom(...'-/. _()AaЖж0'.split('')), maxLength: 3 });
  const format = fc
    .tuple(fc.shuffledSubarray([...registryTokens], { minLength: 4, maxLength: 4 }), fc.array(fc.constantFrom(...registryTokens), { maxLength: 2 }), fc.array(literal, { minLength: 7, maxLength: 7 }))
    .map(([tokens, repeats, literals]) => [...tokens, ...repeats].map((token, i) => `${literals[i]}{${token}}`).join('') + literals[6])
    .filter((f) => registryFormatProblem(f) === null);

  it('are written in the tenant’s format, with the code of the author’s unit, as the settings page previews it', async () => {
    const [unit] = await inTenant(app.db, nikola, (tx) => tx.select({ code: orgUnits.code }).from(orgUnits).where(eq(orgUnits.id, doc.authorUnitId!)));
    await fc.assert(
      fc.asyncProperty(format, fc.constantFrom('4-01', '112', '0'), async (f, classification) => {
        await inTenant(app.db, nikola, (tx) => tx.update(tenants).set({ registryFormat: f }).where(eq(tenants.id, nikola.tenantId)));
        const row = await register(classification, new Date('2026-06-01T10:00:00Z'));
        expect(row.registryNumber).toBe(formatRegistryNumber(f, { class: classification, seq: row.registrySeq!, year: 2026, unit: unit.code }));
      }),
      { numRuns: 40 },
    );
  });

  it('count in the Belgrade calendar year', async () => {
    expect(belgradeYear(new Date('2026-12-31T23:30:00Z'))).toBe(2027);
    expect(belgradeYear(new Date('2026-12-31T22:59:00Z'))).toBe(2026);
    expect(await register('5', new Date('2026-12-31T23:30:00Z'))).toMatchObject({ registryYear: 2027, registrySeq: 1 });
  });
});
