import { z } from 'zod';
import { labels } from '../labels';
import { defineRule } from './types';

/** Start and end of the same kind compare as ISO strings: fixed width, most significant first. */
export const endAfterStart = defineRule({
  name: 'time.endAfterStart',
  description: labels({
    'sr-Cyrl': 'Завршетак после почетка',
    en: 'End after start',
  }),
  params: z.strictObject({ allowEqual: z.boolean().default(false) }),
  slots: [
    { name: 'start', accepts: ['date', 'time', 'datetime', 'month'] },
    { name: 'end', accepts: ['date', 'time', 'datetime', 'month'] },
  ],
  async check(ctx) {
    const start = ctx.text('start');
    const end = ctx.text('end');
    if (start === undefined || end === undefined) return [];
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
