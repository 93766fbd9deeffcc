import { dayNumber, isDate, isDateTime, isTime, MINUTES_PER_DAY, minuteNumber, minuteOfDay, overnightEnd } from '../datetime';
import { minutesByDay } from '../work-time';
import { overnightPairs } from './time';
import type { DefinitionContext, DefinitionProblem, RuleContext, RuleSlot } from './types';

/** The inputs of a rule about a stretch of work: a date with start/end times, or two date-times. */
export const workSlots: readonly RuleSlot[] = [
  { name: 'employee', accepts: ['staff'] },
  { name: 'date', accepts: ['date'], optional: true },
  { name: 'start', accepts: ['time', 'datetime'] },
  { name: 'end', accepts: ['time', 'datetime'] },
];

/** Start and end must be alike, and times need a date to place them. */
export function workDefinitionProblems(rule: string) {
  return <P>(ctx: DefinitionContext<P>): DefinitionProblem[] => {
    const start = ctx.resolve('start');
    const end = ctx.resolve('end');
    if (!start?.kind || !end?.kind) return [];
    if (start.kind !== end.kind) {
      return [{ path: [...ctx.at, 'fields', 'end'], code: 'ruleSlotKindsDiffer', params: { rule, a: 'start', b: 'end' } }];
    }
    if (start.kind === 'time' && !ctx.resolve('date') && ctx.use.fields.date === undefined) {
      return [{ path: [...ctx.at, 'fields', 'date'], code: 'ruleSlotUnmapped', params: { rule, slot: 'date' } }];
    }
    return [];
  };
}

export interface DayPortion {
  readonly date: string;
  readonly minutes: number;
}

/**
 * The work as minutes per calendar day, or undefined when it is not a forward interval
 * (time.endAfterStart reports that). Times need the date; date-times carry their own.
 */
export function workByDay(ctx: RuleContext<unknown>): DayPortion[] | undefined {
  const start = ctx.text('start');
  const end = ctx.text('end');
  if (start === undefined || end === undefined) return undefined;
  let from: number;
  let to: number;
  if (isTime(start) && isTime(end)) {
    const date = ctx.text('date');
    if (date === undefined || !isDate(date)) return undefined;
    const base = dayNumber(date) * MINUTES_PER_DAY;
    const startName = ctx.targetOf('start');
    const endName = ctx.targetOf('end');
    const overnight = overnightPairs(ctx.template).some((p) => p.start === startName && p.end === endName);
    const endMinute = overnight ? overnightEnd(minuteOfDay(start), minuteOfDay(end)) : minuteOfDay(end);
    [from, to] = [base + minuteOfDay(start), base + endMinute];
  } else if (isDateTime(start) && isDateTime(end)) {
    [from, to] = [minuteNumber(start), minuteNumber(end)];
  } else {
    return undefined;
  }
  if (to <= from) return undefined;
  // The minutes that really pass in Europe/Belgrade on each date (work-time.ts): the caps count
  // the hour clocks skip or repeat as the pay does.
  const day = Math.floor(from / MINUTES_PER_DAY);
  return minutesByDay(day, from - day * MINUTES_PER_DAY, to - day * MINUTES_PER_DAY);
}

/** Hours for messages: decimals, to the hundredth. */
export function hours(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}
