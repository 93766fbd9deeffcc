import * as z from 'zod';
import { isTime } from '../datetime';
import { labels } from '../labels';
import type { TemplateVersion } from '../schema';
import { defineRule } from './types';

/** Start and end of the same kind compare as ISO strings: fixed width, most significant first. */
export const endAfterStart = defineRule({
  name: 'time.endAfterStart',
  description: labels({
    'sr-Cyrl': 'Завршетак после почетка',
    en: 'End after start',
  }),
  // `overnight`: times (not dates) whose end is at or before the start mean the next day.
  params: z.strictObject({ allowEqual: z.boolean().default(false), overnight: z.boolean().default(false) }),
  slots: [
    { name: 'start', accepts: ['date', 'time', 'datetime', 'month'] },
    { name: 'end', accepts: ['date', 'time', 'datetime', 'month'] },
  ],
  async check(ctx) {
    const start = ctx.text('start');
    const end = ctx.text('end');
    if (start === undefined || end === undefined) return [];
    if (ctx.params.overnight && isTime(start) && isTime(end)) return [];
    if (ctx.params.allowEqual ? end < start : end <= start) {
      return [{ slot: 'end', code: ctx.params.allowEqual ? 'endBeforeStart' : 'endNotAfterStart', params: {} }];
    }
    return [];
  },
  definitionProblems(ctx) {
    const start = ctx.resolve('start');
    const end = ctx.resolve('end');
    if (!start?.kind || !end?.kind || start.kind === end.kind) return [];
    return [{ path: [...ctx.at, 'fields', 'end'], code: 'ruleSlotKindsDiffer', params: { rule: 'time.endAfterStart', a: 'start', b: 'end' } }];
  },
});

/** The start and end fields of the template's time intervals that may run past midnight. */
export function overnightPairs(def: Pick<TemplateVersion, 'rules'>): Array<{ start: string; end: string }> {
  return def.rules
    .filter((use) => use.rule === endAfterStart.name && (use.params as { overnight?: unknown } | undefined)?.overnight === true)
    .map((use) => ({ start: use.fields.start ?? 'start', end: use.fields.end ?? 'end' }));
}
