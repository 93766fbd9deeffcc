import * as z from 'zod';
import { toLatin } from '#app/i18n/transliterate';

export const LOCALES = ['sr-Cyrl', 'sr-Latn', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const text = z.string().trim().min(1).max(2000);

/**
 * A label in the three UI locales. Authors write Serbian in Cyrillic (the official script,
 * Constitution art. 10); the Latin form is derived unless they give one.
 */
export const labelsSchema = z
  .strictObject({
    'sr-Cyrl': text,
    'sr-Latn': z.string().trim().max(2000).optional(),
    en: text,
  })
  .transform((l) => ({
    'sr-Cyrl': l['sr-Cyrl'],
    'sr-Latn': l['sr-Latn'] ? l['sr-Latn'] : toLatin(l['sr-Cyrl']),
    en: l.en,
  }));

export type Labels = z.infer<typeof labelsSchema>;
export type LabelsInput = z.input<typeof labelsSchema>;

/** Labels written in code (rule descriptions, messages): same derivation as the schema. */
export function labels(input: LabelsInput): Labels {
  return labelsSchema.parse(input);
}
