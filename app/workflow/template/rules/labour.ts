import * as z from 'zod';
import { isoWeekMonday } from '../datetime';
import { compareDecimals } from '../expressions';
import { labels } from '../labels';
import type { MessageCode } from '../messages';
import { defineRule, type DefinitionProblem, type RuleFinding } from './types';
import { hours, workByDay, workDefinitionProblems, workSlots } from './work-interval';

/** Both caps read the employee's other overtime: one scope, so their checks never interleave. */
const overtimeOfEmployee = { scope: 'labour.overtime', slots: ['employee'] } as const;

/** Labour Law (Закон о раду) art. 53: at most 12 hours a day including overtime. */
export const overtimeDailyCap = defineRule({
  name: 'labour.overtimeDailyCap',
  description: labels({
    'sr-Cyrl': 'Радно време са прековременим радом највише 12 часова дневно (Закон о раду, члан 53)',
    en: 'Working time including overtime at most 12 hours a day (Labour Law, art. 53)',
  }),
  params: z.strictObject({ maxDayHours: z.number().positive().max(12).default(12) }),
  slots: workSlots,
  serialiseOn: overtimeOfEmployee,
  async check(ctx) {
    const days = workByDay(ctx);
    const employeeId = ctx.text('employee');
    if (!days || employeeId === undefined) return [];
    const max = Math.round(ctx.params.maxDayHours * 60);
    const findings: RuleFinding[] = [];
    for (const { date, minutes } of days) {
      const regular = Math.round((await ctx.lookups.regularHoursOn({ employeeId, date })) * 60);
      const existing = await ctx.lookups.overtimeMinutesOn({
        templateKey: ctx.template.key,
        employeeId,
        date,
        excludeDocumentId: ctx.documentId,
      });
      if (regular + existing + minutes > max) {
        findings.push({
          slot: 'end',
          code: 'overtimeDailyCap',
          params: {
            date,
            max: ctx.params.maxDayHours,
            regular: hours(regular),
            existing: hours(existing),
            requested: hours(minutes),
            allowed: hours(Math.max(0, max - regular - existing)),
          },
        });
      }
    }
    return findings;
  },
  definitionProblems: workDefinitionProblems('labour.overtimeDailyCap'),
});

/** Labour Law art. 53: at most 8 hours of overtime a week (ISO week, Monday to Sunday). */
export const overtimeWeeklyCap = defineRule({
  name: 'labour.overtimeWeeklyCap',
  description: labels({
    'sr-Cyrl': 'Прековремени рад највише 8 часова недељно, рачунајући захтеве на чекању и одобрене (Закон о раду, члан 53)',
    en: 'Overtime at most 8 hours a week, counting pending and approved requests (Labour Law, art. 53)',
  }),
  params: z.strictObject({ maxWeekHours: z.number().positive().max(8).default(8) }),
  slots: workSlots,
  serialiseOn: overtimeOfEmployee,
  async check(ctx) {
    const days = workByDay(ctx);
    const employeeId = ctx.text('employee');
    if (!days || employeeId === undefined) return [];
    const byWeek = new Map<string, number>();
    for (const { date, minutes } of days) {
      const week = isoWeekMonday(date);
      byWeek.set(week, (byWeek.get(week) ?? 0) + minutes);
    }
    const max = Math.round(ctx.params.maxWeekHours * 60);
    const findings: RuleFinding[] = [];
    for (const [weekOf, minutes] of byWeek) {
      const used = await ctx.lookups.overtimeMinutesInWeek({
        templateKey: ctx.template.key,
        employeeId,
        weekOf,
        excludeDocumentId: ctx.documentId,
      });
      if (used + minutes > max) {
        findings.push({
          slot: 'end',
          code: 'overtimeWeeklyCap',
          params: {
            weekOf,
            max: ctx.params.maxWeekHours,
            used: hours(used),
            left: hours(Math.max(0, max - used)),
            requested: hours(minutes),
          },
        });
      }
    }
    return findings;
  },
  definitionProblems: workDefinitionProblems('labour.overtimeWeeklyCap'),
});

const PREMIUMS = [
  { slot: 'overtime', code: 'premiumOvertimeBelowMinimum' },
  { slot: 'night', code: 'premiumNightBelowMinimum' },
  { slot: 'holiday', code: 'premiumHolidayBelowMinimum' },
] as const satisfies readonly { slot: string; code: MessageCode }[];

/**
 * Labour Law art. 108: pay is increased by at least 26 % of the base for overtime and for
 * night work and by 110 % for work on a public holiday. A tenant or a collective agreement
 * may grant more, never less — so the minimums cannot be configured below the law either.
 */
export const premiumAtLeast = defineRule({
  name: 'labour.premiumAtLeast',
  description: labels({
    'sr-Cyrl':
      'Увећање зараде најмање 26 % за прековремени рад, 26 % за рад ноћу и 110 % за рад на дан празника (Закон о раду, члан 108)',
    en: 'Pay premiums at least 26 % for overtime, 26 % for night work and 110 % for work on a public holiday (Labour Law, art. 108)',
  }),
  params: z.strictObject({
    overtime: z.number().min(26).max(1000).default(26),
    night: z.number().min(26).max(1000).default(26),
    holiday: z.number().min(110).max(1000).default(110),
  }),
  slots: PREMIUMS.map(({ slot }) => ({
    name: slot,
    accepts: ['numeric'],
    sources: ['field', 'computed', 'parameter'],
    optional: true,
    default: `premium.${slot}`,
  })),
  async check(ctx) {
    const findings: RuleFinding[] = [];
    for (const { slot, code } of PREMIUMS) {
      const value = ctx.decimal(slot);
      if (value !== undefined && compareDecimals(value, ctx.params[slot]) < 0) {
        findings.push({ slot, code, params: { value: Number(value), minimum: ctx.params[slot] } });
      }
    }
    return findings;
  },
  definitionProblems(ctx) {
    // A tenant parameter that could be set below the law would only fail later, on a slip.
    const problems: DefinitionProblem[] = [];
    for (const { slot } of PREMIUMS) {
      const target = ctx.resolve(slot);
      if (target?.source !== 'parameter') continue;
      const parameter = ctx.template.tenantParameters[target.index];
      if (parameter.type === 'position') continue;
      if (parameter.min === undefined || parameter.min < ctx.params[slot]) {
        problems.push({
          path: ['tenantParameters', target.index, 'min'],
          code: 'parameterMinBelowLegal',
          params: { parameter: parameter.name, minimum: ctx.params[slot] },
        });
      }
    }
    return problems;
  },
});
