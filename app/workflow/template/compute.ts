import { dayNumber, minuteNumber, minuteOfDay, overnightEnd } from './datetime';
import { overnightPairs } from './rules/time';
import { compileExpression, ExpressionError, type CompiledExpression } from './expressions';
import type { Field, TemplateVersion } from './schema';

/**
 * Typed field values, as submissionSchema produces them: whole numbers as numbers, decimals
 * and money as decimal strings, calendar values as ISO-like strings, checkboxes as booleans,
 * attachments as lists of attachment ids, every reference (staff, unit, document) as an id.
 */
export type FieldValue = string | number | boolean | readonly string[];
export type SubmissionValues = Readonly<Record<string, FieldValue | undefined>>;
/** Numeric tenant parameter values by name, after adoption (see parameters.ts). */
export type TenantParameterValues = Readonly<Record<string, number>>;

/**
 * How a field enters an expression. Calendar values become counts so that differences mean
 * something: a time is minutes since midnight, a date-time minutes since 1970, a date days
 * since 1970. A checkbox is 1 or 0.
 */
export function expressionValue(field: Field, value: FieldValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  switch (field.type) {
    case 'number':
      return typeof value === 'number' ? String(value) : undefined;
    case 'decimal':
    case 'money':
      return typeof value === 'string' ? value : undefined;
    case 'date':
      return typeof value === 'string' ? String(dayNumber(value)) : undefined;
    case 'time':
      return typeof value === 'string' ? String(minuteOfDay(value)) : undefined;
    case 'datetime':
      return typeof value === 'string' ? String(minuteNumber(value)) : undefined;
    case 'checkbox':
      return value === true ? '1' : '0';
    default:
      return undefined;
  }
}

/** What computing needs of a template: the browser gets just this much of it. */
export type ComputingTemplate = Pick<TemplateVersion, 'fields' | 'computed' | 'rules'>;

const fieldType = (def: ComputingTemplate, name: string) => def.fields.find((f) => f.name === name)?.type;

const compiledByTemplate = new WeakMap<ComputingTemplate, Map<string, CompiledExpression | ExpressionError>>();

/** Each computed expression of a template, parsed once per template object. */
export function compiledExpressions(def: ComputingTemplate): Map<string, CompiledExpression | ExpressionError> {
  let compiled = compiledByTemplate.get(def);
  if (!compiled) {
    compiled = new Map();
    for (const c of def.computed) {
      try {
        compiled.set(c.name, compileExpression(c.expression));
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        compiled.set(c.name, e);
      }
    }
    compiledByTemplate.set(def, compiled);
  }
  return compiled;
}

/**
 * The computed values the inputs allow, as rounded decimal strings. A value whose inputs are
 * not all filled yet (or whose expression is broken or cyclic — validation reports those) is
 * left out rather than guessed.
 */
export function computeValues(
  def: ComputingTemplate,
  input: { values: SubmissionValues; tenantParameters?: TenantParameterValues },
): Record<string, string> {
  const compiled = compiledExpressions(def);
  const scope: Record<string, string> = {};
  for (const field of def.fields) {
    const v = expressionValue(field, input.values[field.name]);
    if (v !== undefined) scope[field.name] = v;
  }
  // A time interval that may run past midnight enters expressions as one continuous span.
  for (const { start, end } of overnightPairs(def)) {
    if (scope[start] !== undefined && scope[end] !== undefined && fieldType(def, start) === 'time' && fieldType(def, end) === 'time') {
      scope[end] = String(overnightEnd(Number(scope[start]), Number(scope[end])));
    }
  }
  for (const [name, value] of Object.entries(input.tenantParameters ?? {})) scope[name] = String(value);

  const byName = new Map(def.computed.map((c) => [c.name, c]));
  const result: Record<string, string> = {};
  const visiting = new Set<string>();
  const done = new Set<string>();

  const evaluate = (name: string): void => {
    if (done.has(name) || visiting.has(name)) return;
    const c = byName.get(name);
    const expr = compiled.get(name);
    if (!c || !expr || expr instanceof ExpressionError) return;
    visiting.add(name);
    for (const s of expr.symbols) if (byName.has(s)) evaluate(s);
    visiting.delete(name);
    done.add(name);
    if (!expr.symbols.every((s) => scope[s] !== undefined)) return;
    try {
      result[name] = expr.evaluate(scope, c.rounding);
      scope[name] = result[name];
    } catch (e) {
      // Division by zero and the like: the value is undefined for these inputs.
      if (!(e instanceof ExpressionError)) throw e;
    }
  };
  for (const c of def.computed) evaluate(c.name);
  return result;
}
