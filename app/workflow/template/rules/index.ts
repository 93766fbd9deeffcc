import { computeValues, type FieldValue, type SubmissionValues, type TenantParameterValues } from '../compute';
import type { MessageCode, MessageParams } from '../messages';
import type { TemplateVersion } from '../schema';
import { publicHolidayMatches } from './calendar';
import { overtimeDailyCap, overtimeWeeklyCap, premiumAtLeast } from './labour';
import { notInClosedMonth } from './period';
import { resolveSlot } from './slots';
import { endAfterStart } from './time';
import type { Rule, RuleContext, RuleLookups } from './types';

export type { Rule, RuleContext, RuleLookups, RuleSlot, RuleFinding, SlotKind, SlotSource } from './types';
export { resolveSlot, slotTarget, type ResolvedSlot } from './slots';

/** The vetted rule library: the only checks a template can name. */
export const ruleLibrary: ReadonlyMap<string, Rule<unknown>> = new Map(
  [overtimeDailyCap, overtimeWeeklyCap, premiumAtLeast, endAfterStart, notInClosedMonth, publicHolidayMatches].map(
    (rule) => [rule.name, rule as Rule<unknown>],
  ),
);

export interface RuleViolation {
  readonly rule: string;
  /** The field (or tenant parameter) the message belongs beside. */
  readonly field: string;
  readonly code: MessageCode;
  readonly params: MessageParams;
}

type RuleInput = { values: SubmissionValues; tenantParameters: TenantParameterValues };

function slotReader(def: TemplateVersion, use: TemplateVersion['rules'][number], rule: Rule<unknown>, input: RuleInput, computed: Record<string, string>) {
  const targets = new Map(rule.slots.map((slot) => [slot.name, resolveSlot(def, use, slot)]));
  const get = (slot: string): FieldValue | undefined => {
    const target = targets.get(slot);
    if (!target) return undefined;
    if (target.source === 'field') return input.values[target.name];
    if (target.source === 'computed') return computed[target.name];
    return input.tenantParameters[target.name];
  };
  return { targets, get };
}

/**
 * What the template's rules must be serialised on for these values (`scope|value…`, sorted,
 * unique): the engine holds a lock on each, per tenant, while it checks and writes.
 */
export function serialisationKeys(def: TemplateVersion, input: RuleInput): string[] {
  const computed = computeValues(def, input);
  const keys = new Set<string>();
  for (const use of def.rules) {
    const rule = ruleLibrary.get(use.rule);
    if (!rule?.serialiseOn) continue;
    const { get } = slotReader(def, use, rule, input, computed);
    const parts = rule.serialiseOn.slots.map((slot) => get(slot));
    if (parts.every((p) => typeof p === 'string' && p !== '')) keys.add([rule.serialiseOn.scope, ...parts].join('|'));
  }
  return [...keys].sort();
}

/** The template with only the rules that read one of these fields (a step re-checks what it fills in). */
export function rulesReading(def: TemplateVersion, fields: ReadonlySet<string>): TemplateVersion {
  const rules = def.rules.filter((use) => {
    const rule = ruleLibrary.get(use.rule);
    return rule?.slots.some((slot) => {
      const target = resolveSlot(def, use, slot);
      return target?.source === 'field' && fields.has(target.name);
    });
  });
  return { ...def, rules };
}

/**
 * Runs a template's rules over a document's typed values. A rule whose required inputs are
 * not all filled is skipped: missing values are the form schema's business. Throws only for
 * a definition that validation would have refused (an unknown rule or bad parameters).
 */
export async function checkRules(
  def: TemplateVersion,
  input: {
    values: SubmissionValues;
    tenantParameters: TenantParameterValues;
    lookups: RuleLookups;
    documentId?: string;
  },
): Promise<RuleViolation[]> {
  const computed = computeValues(def, input);
  const results = await Promise.all(
    def.rules.map(async (use) => {
      const rule = ruleLibrary.get(use.rule);
      if (!rule) throw new Error(`Template ${def.key} v${def.version} names unknown rule ${use.rule}`);
      const params = rule.params.parse(use.params);
      const { targets, get } = slotReader(def, use, rule, input, computed);
      if (rule.slots.some((slot) => !slot.optional && get(slot.name) === undefined)) return [];
      const ctx: RuleContext<unknown> = {
        params,
        template: def,
        documentId: input.documentId,
        values: input.values,
        computed,
        tenantParameters: input.tenantParameters,
        lookups: input.lookups,
        get,
        decimal(slot) {
          const v = get(slot);
          return typeof v === 'number' ? String(v) : typeof v === 'string' ? v : undefined;
        },
        text(slot) {
          const v = get(slot);
          return typeof v === 'string' ? v : undefined;
        },
      };
      const findings = await rule.check(ctx);
      return findings.map((f) => ({ rule: rule.name, field: targets.get(f.slot)?.name ?? f.slot, code: f.code, params: f.params }));
    }),
  );
  return results.flat();
}
