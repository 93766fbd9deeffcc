// The display format of registry numbers, a tenant setting: tokens {class}, {seq}, {year},
// {unit} between literal text. Numbers are unique per tenant, year and classification, so a
// format must show all three of those.

export const registryTokens = ['class', 'seq', 'year', 'unit'] as const;
export type RegistryToken = (typeof registryTokens)[number];
export const requiredTokens: RegistryToken[] = ['class', 'seq', 'year'];
export const defaultRegistryFormat = '{class}-{seq}/{year}';

export type RegistryFormatProblem = 'unknownToken' | 'missingToken' | 'characters' | 'length';

// Letters of either script, digits, spaces and the usual separators.
const literal = /^[\p{L}\p{N} ./\-_()]*$/u;

/** Why a format cannot be used, or null. `token` names the unknown or missing token. */
export function registryFormatProblem(format: string): { problem: RegistryFormatProblem; token?: string } | null {
  if (format.length < 1 || format.length > 60) return { problem: 'length' };
  const used = new Set<string>();
  for (const match of format.matchAll(/\{([^{}]*)\}/g)) {
    if (!(registryTokens as readonly string[]).includes(match[1])) return { problem: 'unknownToken', token: match[1] };
    used.add(match[1]);
  }
  if (!literal.test(format.replace(/\{[^{}]*\}/g, ''))) return { problem: 'characters' };
  const missing = requiredTokens.find((t) => !used.has(t));
  return missing ? { problem: 'missingToken', token: missing } : null;
}

export interface RegistryNumberParts {
  class: string;
  seq: number;
  year: number;
  unit: string;
}

/** The registry number a format gives for these parts, e.g. "112-14/2026". */
export function formatRegistryNumber(format: string, parts: RegistryNumberParts): string {
  return format.replace(/\{(class|seq|year|unit)\}/g, (_, token: RegistryToken) => String(parts[token]));
}

/** What the settings page shows beside the format. */
export const exampleParts = (year: number): RegistryNumberParts => ({ class: '112', seq: 14, year, unit: 'OU' });
