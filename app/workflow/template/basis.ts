// What a computed amount is made of, in the reader's words: the template's own expression with
// the values it used ('6,50 × 650,00 дин. × 26 %'). The card, the PDF and the browser's live
// recomputation all write it with this one function. A basis is stated only when it gives the
// amount shown. The card and the PDF pass the parameters stored with the amounts, so a slip keeps
// its basis after the tenant's premiums change; a row from before those were stored (migration
// 0091) is checked against today's and, once they differ, shows its amounts without a basis
// rather than with a false one.
import { formatDecimalText } from '../../i18n/format';
import { formatMoney, parseMoney } from '../money';
import { computeValues, expressionValue, type SubmissionValues, type TenantParameterValues } from './compute';
import { substituteSymbols } from './expressions';
import type { Locale } from './labels';
import type { TemplateVersion } from './schema';

export type BasisTemplate = Pick<TemplateVersion, 'fields' | 'computed' | 'rules' | 'tenantParameters'>;

/** The basis of every money value that was computed, by computed name. */
export function moneyBasis(
  def: BasisTemplate,
  input: { values: SubmissionValues; computed: Readonly<Record<string, string | undefined>>; tenantParameters?: TenantParameterValues },
  locale: Locale,
): Record<string, string> {
  const fields = new Map(def.fields.map((f) => [f.name, f]));
  const parameters = new Map(def.tenantParameters.map((p) => [p.name, p]));
  const computedKinds = new Map(def.computed.map((c) => [c.name, c.kind]));
  const money = (decimal: string) => {
    const para = parseMoney(decimal);
    return para === null ? formatDecimalText(decimal, locale) : formatMoney(para, locale);
  };
  const valueOf = (name: string): string | undefined => {
    const field = fields.get(name);
    if (field) {
      const v = expressionValue(field, input.values[name]);
      if (v === undefined) return undefined;
      return field.type === 'money' ? money(v) : field.type === 'decimal' || field.type === 'number' ? formatDecimalText(v, locale) : undefined;
    }
    const parameter = parameters.get(name);
    const p = input.tenantParameters?.[name];
    if (parameter && p !== undefined) return parameter.type === 'percent' ? `${formatDecimalText(String(p), locale)}\u00a0%` : formatDecimalText(String(p), locale);
    const computed = input.computed[name];
    if (computed !== undefined) return computedKinds.get(name) === 'money' ? money(computed) : formatDecimalText(computed, locale);
    return undefined;
  };
  const recomputed = computeValues(def, { values: input.values, tenantParameters: input.tenantParameters });
  const out: Record<string, string> = {};
  for (const c of def.computed) {
    if (c.kind !== 'money' || input.computed[c.name] === undefined || recomputed[c.name] !== input.computed[c.name]) continue;
    let missing = false;
    const text = substituteSymbols(c.expression, (name) => {
      const v = valueOf(name);
      if (v === undefined && (fields.has(name) || parameters.has(name) || computedKinds.has(name))) missing = true;
      return v;
    });
    if (missing) continue;
    // A percentage is already "of": "× 26 % / 100" reads "× 26 %".
    out[c.name] = text
      .replace(/(\d\u00a0%)\s*\/\s*100\b/g, '$1')
      .replace(/\s\*\s/g, ' × ')
      .replace(/\s-\s/g, ' − ');
  }
  return out;
}
