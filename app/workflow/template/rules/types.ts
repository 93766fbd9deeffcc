import type * as z from 'zod';
import type { FieldValue, SubmissionValues, TenantParameterValues } from '../compute';
import type { Labels } from '../labels';
import type { MessageCode, MessageParams } from '../messages';
import type { RuleUse, TemplateVersion } from '../schema';
import type { ResolvedSlot } from './slots';

/** What a rule input can be connected to, by the kind of value it carries. */
export type SlotKind = 'date' | 'time' | 'datetime' | 'month' | 'staff' | 'checkbox' | 'numeric';
export type SlotSource = 'field' | 'computed' | 'parameter';

export interface RuleSlot {
  readonly name: string;
  readonly accepts: readonly SlotKind[];
  /** Where the value may come from; fields and computed values unless stated. */
  readonly sources?: readonly SlotSource[];
  /** An optional input that resolves to nothing is simply not checked. */
  readonly optional?: boolean;
  /** The name an unmapped input connects to; the slot's own name unless stated. */
  readonly default?: string;
}

/**
 * What rules may ask about the world beyond the submitted document. The document engine
 * implements it against the tenant's data (documents, work schedules, holiday calendar,
 * closed payroll months); tests use an in-memory one.
 */
export interface RuleLookups {
  /** Overtime minutes of the employee's pending and approved documents of this template in the ISO week starting `weekOf` (a Monday). */
  overtimeMinutesInWeek(q: { templateKey: string; employeeId: string; weekOf: string; excludeDocumentId?: string }): Promise<number>;
  /** Overtime minutes of the employee's pending and approved documents of this template on the date. */
  overtimeMinutesOn(q: { templateKey: string; employeeId: string; date: string; excludeDocumentId?: string }): Promise<number>;
  /** Regular working hours of the employee on the date: 8 on a working day by default, 0 on a rest day or public holiday. */
  regularHoursOn(q: { employeeId: string; date: string }): Promise<number>;
  /** Whether the month containing the date is closed for entries (payroll done). */
  isClosedMonth(date: string): Promise<boolean>;
  /** Whether the date is a non-working public holiday in the tenant's calendar. */
  isPublicHoliday(date: string): Promise<boolean>;
}

export interface RuleContext<P> {
  readonly params: P;
  readonly template: TemplateVersion;
  /** The document being checked, so that its own earlier saves are not counted twice. */
  readonly documentId?: string;
  readonly values: SubmissionValues;
  readonly computed: Readonly<Record<string, string>>;
  readonly tenantParameters: TenantParameterValues;
  readonly lookups: RuleLookups;
  /** The value connected to a slot: a field value, a computed decimal string or a parameter number. */
  get(slot: string): FieldValue | undefined;
  /** A numeric slot's value as a decimal string. */
  decimal(slot: string): string | undefined;
  /** A text-like slot's value (dates, times, ids). */
  text(slot: string): string | undefined;
  /** The field (computed value, parameter) a slot is connected to. */
  targetOf(slot: string): string | undefined;
}

export interface RuleFinding {
  readonly slot: string;
  readonly code: MessageCode;
  readonly params: MessageParams;
}

export interface DefinitionProblem {
  readonly path: (string | number)[];
  readonly code: MessageCode;
  readonly params: MessageParams;
}

export interface DefinitionContext<P> {
  readonly template: TemplateVersion;
  readonly use: RuleUse;
  readonly params: P;
  /** Path of this rule use inside the template, e.g. `['rules', 2]`. */
  readonly at: (string | number)[];
  resolve(slot: string): ResolvedSlot | undefined;
}

/**
 * A named, parameterised check implemented in code. The national office picks rules and
 * sets their parameters; a parameter schema bounds what it may set (e.g. never a weekly
 * overtime cap above the law's 8 hours).
 */
export interface Rule<P> {
  readonly name: string;
  readonly description: Labels;
  readonly params: z.ZodType<P>;
  readonly slots: readonly RuleSlot[];
  check(ctx: RuleContext<P>): Promise<RuleFinding[]>;
  /**
   * A rule that counts what other documents hold (e.g. an employee's overtime this week) is only
   * an invariant if checks on the same value never run side by side: the engine serialises
   * them per tenant on `scope` and the values of these slots, in the transaction of the check.
   */
  readonly serialiseOn?: { readonly scope: string; readonly slots: readonly string[] };
  /** Problems only visible in the definition as a whole (beyond slot kinds). */
  definitionProblems?(ctx: DefinitionContext<P>): DefinitionProblem[];
}

export function defineRule<P>(rule: Rule<P>): Rule<P> {
  return rule;
}
