// The rule library's questions about the world, answered from the tenant's own data.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { closedMonths, documents, templateVersions } from '#db/schema';
import { isTenantHoliday } from '../calendar/tenant-calendar.server';
import { rowsOf } from '#db/rows';
import type { RuleLookups } from '../template/rules/types';
import type { TemplateVersion } from '../template/schema';
import { definitionOf, templateIdOf } from './definitions.server';
import { byValue } from './values.server';
import { dayNumber, isTime, minuteOfDay, overnightEnd } from '../template/datetime';
import { minutesByDay } from '../template/work-time';
import { overnightPairs } from '../template/rules/time';
import { addDays } from '../../time/days.server';

const COUNTED_STATES = ['in_approval', 'approved', 'registered'] as const;

const minutesOf = (time: unknown) => (typeof time === 'string' && isTime(time) ? minuteOfDay(time) : undefined);

/** Which fields hold the employee, date and times, as the template's own overtime rules map them. */
function workFields(def: TemplateVersion) {
  const use = def.rules.find((r) => r.rule === 'labour.overtimeWeeklyCap' || r.rule === 'labour.overtimeDailyCap');
  const f = use?.fields ?? {};
  return { employee: f.employee ?? 'employee', date: f.date ?? 'date', start: f.start ?? 'start', end: f.end ?? 'end' };
}

export function tenantLookups(tx: Tx, tenantId: string): RuleLookups {
  const isHoliday = (date: string) => isTenantHoliday(tx, tenantId, date);

  /** Overtime minutes per date of other pending and approved documents of the template, in [from, to]. */
  async function overtimeByDate(templateKey: string, employeeId: string, from: string, to: string, exclude?: string): Promise<Map<string, number>> {
    const templateId = await templateIdOf(tx, templateKey);
    const byDate = new Map<string, number>();
    if (!templateId) return byDate;
    const [latest] = await tx
      .select({ id: templateVersions.id })
      .from(templateVersions)
      .where(and(eq(templateVersions.templateId, templateId), eq(templateVersions.status, 'published')))
      .orderBy(desc(templateVersions.version))
      .limit(1);
    const keys = latest ? workFields(await definitionOf(tx, latest.id)) : workFields({ rules: [] } as unknown as TemplateVersion);
    const rows = await tx
      .select({ id: documents.id, versionId: documents.versionId, values: documents.values })
      .from(documents)
      .where(
        and(
          eq(documents.tenantId, tenantId),
          eq(documents.templateId, templateId),
          inArray(documents.state, [...COUNTED_STATES]),
          exclude ? sql`${documents.id} <> ${exclude}` : undefined,
          byValue(keys.employee, employeeId),
          // A shift of the day before may run past midnight into `from`.
          byValue(keys.date, addDays(from, -1), to),
        ),
      );
    const count = (date: string, minutes: number) => {
      if (minutes > 0 && date >= from && date <= to) byDate.set(date, (byDate.get(date) ?? 0) + minutes);
    };
    for (const row of rows) {
      const def = await definitionOf(tx, row.versionId);
      const fields = workFields(def);
      const values = row.values as Record<string, unknown>;
      const start = minutesOf(values[fields.start]);
      let end = minutesOf(values[fields.end]);
      const date = values[fields.date];
      if (start === undefined || end === undefined || typeof date !== 'string') continue;
      if (overnightPairs(def).some((p) => p.start === fields.start && p.end === fields.end)) end = overnightEnd(start, end);
      if (end <= start) continue;
      // Counted on the day each part of the shift falls on, in the minutes that really pass, as
      // the caps count a new request (work-interval.ts).
      for (const part of minutesByDay(dayNumber(date), start, end)) count(part.date, part.minutes);
    }
    return byDate;
  }

  return {
    async overtimeMinutesInWeek({ templateKey, employeeId, weekOf, excludeDocumentId }) {
      const byDate = await overtimeByDate(templateKey, employeeId, weekOf, addDays(weekOf, 6), excludeDocumentId);
      return [...byDate.values()].reduce((a, b) => a + b, 0);
    },
    async overtimeMinutesOn({ templateKey, employeeId, date, excludeDocumentId }) {
      return (await overtimeByDate(templateKey, employeeId, date, date, excludeDocumentId)).get(date) ?? 0;
    },
    async regularHoursOn({ date }) {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      if (weekday === 0 || weekday === 6) return 0;
      return (await isHoliday(date)) ? 0 : 8;
    },
    async isClosedMonth(date) {
      const month = `${date.slice(0, 7)}-01`;
      const rows = rowsOf(await tx.execute(sql`select 1 from ${closedMonths} where tenant_id = ${tenantId} and month = ${month}`));
      return rows.length > 0;
    },
    isPublicHoliday: isHoliday,
  };
}
