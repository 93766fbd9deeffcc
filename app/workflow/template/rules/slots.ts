import type { Field, RuleUse, TemplateVersion } from '../schema';
import type { RuleSlot, SlotKind, SlotSource } from './types';

export interface ResolvedSlot {
  /** The field, computed value or parameter the slot reads. */
  readonly name: string;
  readonly source: SlotSource;
  /** Index in `fields`, `computed` or `tenantParameters`. */
  readonly index: number;
  /** Undefined when the value cannot serve any rule input (e.g. a text field). */
  readonly kind: SlotKind | undefined;
}

const FIELD_KINDS: Partial<Record<Field['type'], SlotKind>> = {
  date: 'date',
  time: 'time',
  datetime: 'datetime',
  month: 'month',
  staff: 'staff',
  checkbox: 'checkbox',
  number: 'numeric',
  decimal: 'numeric',
  money: 'numeric',
};

export function slotTarget(use: RuleUse, slot: RuleSlot): string {
  return use.fields[slot.name] ?? slot.default ?? slot.name;
}

/** What a rule input is connected to, within the sources the slot allows. */
export function resolveSlot(def: TemplateVersion, use: RuleUse, slot: RuleSlot): ResolvedSlot | undefined {
  const name = slotTarget(use, slot);
  const sources = slot.sources ?? ['field', 'computed'];
  if (sources.includes('field')) {
    const index = def.fields.findIndex((f) => f.name === name);
    if (index >= 0) return { name, source: 'field', index, kind: FIELD_KINDS[def.fields[index].type] };
  }
  if (sources.includes('computed')) {
    const index = def.computed.findIndex((c) => c.name === name);
    if (index >= 0) return { name, source: 'computed', index, kind: 'numeric' };
  }
  if (sources.includes('parameter')) {
    const index = def.tenantParameters.findIndex((p) => p.name === name);
    if (index >= 0) {
      const kind = def.tenantParameters[index].type === 'position' ? undefined : 'numeric';
      return { name, source: 'parameter', index, kind };
    }
  }
  return undefined;
}
