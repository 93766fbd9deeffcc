// The monthly overtime report: hours and pay per person and per organisational unit, summed
// from the month's approved and registered overtime pay slips. Hours and amounts are summed
// as exact hundredths (bigint), never as floats.
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { documents, memberships, orgUnits, templates } from '#db/schema';
import { moneyToDecimal, parseMoney } from '#app/workflow/money';
import { byValue } from '#app/workflow/engine/values.server';

export const amountKeys = ['baseAmount', 'overtimeIncrease', 'nightIncrease', 'holidayIncrease', 'totalAmount'] as const;
export const hourKeys = ['totalHours', 'nightHours', 'holidayHours'] as const;
type Sums = Record<(typeof amountKeys)[number] | (typeof hourKeys)[number], bigint>;

export interface OvertimeLine {
  /** Membership id for a person, org unit id (or '') for a unit. */
  id: string;
  name: string;
  unit: string;
  slips: number;
  sums: Sums;
}

export interface OvertimeFigures {
  period: string;
  people: OvertimeLine[];
  units: OvertimeLine[];
  total: OvertimeLine;
}

const zero = (): Sums => Object.fromEntries([...amountKeys, ...hourKeys].map((k) => [k, 0n])) as Sums;

function hundredths(value: unknown, what: string): bigint {
  const parsed = parseMoney(String(value ?? '0'));
  if (parsed === null) throw new Error(`not a decimal in ${what}: ${String(value)}`);
  return parsed;
}

const collator = new Intl.Collator('sr');

export const isPeriod = (text: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(text);

export async function overtimeFigures(tx: Tx, tenantId: string, period: string): Promise<OvertimeFigures> {
  if (!isPeriod(period)) throw new RangeError(`period must be YYYY-MM: ${period}`);
  const slips = await tx
    .select({ id: documents.id, values: documents.values, computed: documents.computed })
    .from(documents)
    .innerJoin(templates, eq(templates.id, documents.templateId))
    .where(
      and(
        eq(documents.tenantId, tenantId),
        eq(templates.key, 'overtime-pay-slip'),
        inArray(documents.state, ['approved', 'registered']),
        byValue('month', period),
      ),
    );
  const people = new Map<string, OvertimeLine>();
  for (const slip of slips) {
    const values = slip.values as Record<string, unknown>;
    const computed = slip.computed as Record<string, unknown>;
    const employee = String(values.employee);
    const line = people.get(employee) ?? { id: employee, name: '', unit: '', slips: 0, sums: zero() };
    line.slips++;
    for (const k of hourKeys) line.sums[k] += hundredths(values[k], `${slip.id}.${k}`);
    for (const k of amountKeys) line.sums[k] += hundredths(computed[k], `${slip.id}.${k}`);
    people.set(employee, line);
  }
  const staff = people.size
    ? await tx
        .select({ id: memberships.id, name: memberships.fullName, unitId: memberships.orgUnitId, unit: orgUnits.name })
        .from(memberships)
        .leftJoin(orgUnits, and(eq(orgUnits.tenantId, memberships.tenantId), eq(orgUnits.id, memberships.orgUnitId)))
        .where(and(eq(memberships.tenantId, tenantId), inArray(memberships.id, [...people.keys()])))
    : [];
  const units = new Map<string, OvertimeLine>();
  const total: OvertimeLine = { id: '', name: '', unit: '', slips: 0, sums: zero() };
  for (const s of staff) {
    const person = people.get(s.id)!;
    person.name = s.name;
    person.unit = s.unit ?? '';
  }
  const unitOf = new Map(staff.map((s) => [s.id, s.unitId ?? '']));
  for (const person of people.values()) {
    const unitId = unitOf.get(person.id) ?? '';
    const unit = units.get(unitId) ?? { id: unitId, name: person.unit, unit: person.unit, slips: 0, sums: zero() };
    for (const line of [unit, total]) {
      line.slips += person.slips;
      for (const k of Object.keys(line.sums) as (keyof Sums)[]) line.sums[k] += person.sums[k];
    }
    units.set(unitId, unit);
  }
  const byName = (a: OvertimeLine, b: OvertimeLine) => collator.compare(a.unit, b.unit) || collator.compare(a.name, b.name);
  return { period, people: [...people.values()].sort(byName), units: [...units.values()].sort(byName), total };
}

export const decimal = (v: bigint) => moneyToDecimal(v);
