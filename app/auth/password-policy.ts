// The password policy (ASVS 5.0 6.2): at least 12 characters, at most 128, any characters, no
// composition rules; refused when an attacker would guess it early — a common password, or one
// built on the person's name, email, organisation or the product's name. The length rule runs
// in the form (conform) and the action alike; the guessability rule needs the dictionaries of
// password-strength.ts, which the server loads at once and the browser only when a new
// password is being typed (the meter).
import * as z from 'zod';
import { toLatin } from '../i18n/transliterate';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

/** Characters as a person counts them (an emoji is one), not UTF-16 units. */
export const passwordLength = (password: string) => [...password].length;

/** A new password's form field: the length rule only; `passwordProblem` does the rest. */
export const newPasswordField = z
  .string({ error: 'form.required' })
  .min(1, 'form.required')
  .refine((p) => passwordLength(p) >= PASSWORD_MIN, `accounts.password.short|${PASSWORD_MIN}`)
  .refine((p) => passwordLength(p) <= PASSWORD_MAX, `accounts.password.long|${PASSWORD_MAX}`);

/** A password being checked (sign-in, confirmation): whatever was set before this policy. */
export const currentPasswordField = z.string({ error: 'form.required' }).min(1, 'form.required').max(1024, 'form.required');

export type PasswordProblem = 'short' | 'long' | 'common' | 'context' | 'weak';

/** The i18n message of a problem, as the form shows it beside the field. */
export function problemMessage(problem: PasswordProblem): string {
  if (problem === 'short') return `accounts.password.short|${PASSWORD_MIN}`;
  if (problem === 'long') return `accounts.password.long|${PASSWORD_MAX}`;
  return `accounts.password.${problem}`;
}

/** Words every Delovod password is checked against, whoever sets it. */
const productWords = ['delovod', 'деловод'];

// Serbian Latin written without diacritics, as people type it on an English keyboard.
const ascii = (s: string) =>
  s
    .replace(/đ/g, 'dj')
    .replace(/Đ/g, 'Dj')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');

/**
 * The context-specific words of a password (ASVS 6.2.11): the words of the person's name, the
 * parts of their email address, the words of their organisation's names and the product's
 * name, in Cyrillic, Latin and Latin without diacritics, lower-cased; words shorter than four
 * letters are left out (they occur inside too many unrelated words).
 */
export function contextWords(parts: readonly (string | null | undefined)[]): string[] {
  const words = new Set<string>();
  const add = (word: string) => {
    const w = word.toLowerCase();
    if ([...w].length < 4) return;
    words.add(w);
    words.add(toLatin(w));
    words.add(ascii(toLatin(w)));
  };
  for (const part of [...productWords, ...parts]) {
    if (!part) continue;
    const at = part.lastIndexOf('@');
    if (at > 0) {
      const local = part.slice(0, at);
      add(local);
      local.split(/[._+-]+/).forEach(add);
      // The domain's labels but the top level: "vlasotince" of "vlasotince.gov.rs".
      part
        .slice(at + 1)
        .split('.')
        .slice(0, -1)
        .forEach(add);
      continue;
    }
    part.split(/[^\p{L}\p{N}]+/u).forEach(add);
  }
  return [...words];
}
