import * as z from 'zod';
import type { TenantParameterValues } from './compute';
import { parseDecimal, parseInteger, type Parsed } from './field-values';
import type { Locale } from './labels';
import { formatMessage } from './messages';
import type { NumericTenantParameter, TemplateVersion } from './schema';

/**
 * What an adopting tenant may set (DESIGN §4): numeric parameters within the bounds the
 * template declares. Positions are mapped to people elsewhere (they are not numbers).
 */

const SCALE: Record<NumericTenantParameter['type'], number> = { number: 0, decimal: 4, percent: 2, hours: 2 };

export function numericParameters(def: TemplateVersion): NumericTenantParameter[] {
  return def.tenantParameters.filter((p): p is NumericTenantParameter => p.type !== 'position');
}

/** The values in force for a tenant: what it adopted, else the template's defaults. */
export function resolveTenantParameters(
  def: TemplateVersion,
  adopted: Readonly<Record<string, number>> = {},
): TenantParameterValues {
  return Object.fromEntries(numericParameters(def).map((p) => [p.name, adopted[p.name] ?? p.default]));
}

export interface ParameterDescriptor {
  readonly name: string;
  readonly type: NumericTenantParameter['type'];
  readonly label: string;
  readonly help?: string;
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
  readonly scale: number;
}

export function parameterDescriptors(def: TemplateVersion, locale: Locale): ParameterDescriptor[] {
  return numericParameters(def).map((p) => ({
    name: p.name,
    type: p.type,
    label: p.label[locale],
    help: p.help?.[locale],
    default: p.default,
    min: p.min,
    max: p.max,
    scale: SCALE[p.type],
  }));
}

function parseParameter(p: NumericTenantParameter, raw: unknown): Parsed<number> {
  const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
  if (s === undefined || s === '') return { ok: false, code: 'required', params: {} };
  if (p.type === 'number') return parseInteger(s, p.min, p.max);
  const r = parseDecimal(s, SCALE[p.type], p.min, p.max);
  return r.ok ? { ok: true, value: Number(r.value) } : r;
}

/**
 * The adoption form's schema: every numeric parameter, within its declared bounds — so a
 * premium can be raised above the legal minimum but never set below it.
 */
export function tenantParametersSchema(def: TemplateVersion, options: { locale: Locale }) {
  const parameters = numericParameters(def);
  const shape: Record<string, z.ZodType<number, unknown>> = {};
  for (const p of parameters) {
    shape[p.name] = z.unknown().transform((raw, ctx) => {
      const r = parseParameter(p, raw);
      if (r.ok) return r.value;
      ctx.addIssue({ code: 'custom', message: formatMessage(options.locale, r.code, r.params), params: { code: r.code, ...r.params } });
      return z.NEVER;
    });
  }
  // As in submissionSchema: every key present, so a missing one gets our own message.
  const absent = Object.fromEntries(parameters.map((p) => [p.name, undefined]));
  return z.preprocess(
    (raw) => (raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? { ...absent, ...raw } : raw),
    z.object(shape),
  );
}
