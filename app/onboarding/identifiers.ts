// Check digits of the identifiers a Serbian legal entity (a municipality, an agency) signs up with.

export type IdentifierProblem = 'format' | 'checkDigit';

const digits = (text: string) => [...text].map(Number);

/**
 * Check digit of a matični broj (MB, registry number of a legal entity) from its first 7 digits:
 * mod 11 with weights 2, 7, 6, 5, 4, 3, 2 (the cyclic 2–7 weights counted from the right);
 * 11 − remainder, where remainders 0 and 1 both give 0. Published registry numbers confirm the
 * weight 2 on the first digit and the 0 for remainder 1 (e.g. 20213108, 07204990).
 */
export function maticniBrojCheckDigit(first7: string): number {
  if (!/^\d{7}$/.test(first7)) throw new RangeError('a matični broj body is 7 digits');
  const weights = [2, 7, 6, 5, 4, 3, 2];
  const sum = digits(first7).reduce((total, d, i) => total + d * weights[i], 0);
  return ((11 - (sum % 11)) % 11) % 10;
}

/** Check digit of a PIB (tax identification number) from its first 8 digits: ISO 7064 MOD 11,10. */
export function pibCheckDigit(first8: string): number {
  if (!/^\d{8}$/.test(first8)) throw new RangeError('a PIB body is 8 digits');
  let carry = 10;
  for (const d of digits(first8)) {
    carry = ((((carry + d) % 10) || 10) * 2) % 11;
  }
  return (11 - carry) % 10;
}

function problem(text: string, length: number, checkDigit: (body: string) => number): IdentifierProblem | null {
  if (text.length !== length || !/^\d+$/.test(text)) return 'format';
  return checkDigit(text.slice(0, -1)) === Number(text.at(-1)) ? null : 'checkDigit';
}

/** Why `text` is not a matični broj of a legal entity (8 digits), or null when it is one. */
export function maticniBrojProblem(text: string): IdentifierProblem | null {
  return problem(text, 8, maticniBrojCheckDigit);
}

/** Why `text` is not a PIB (9 digits), or null when it is one. */
export function pibProblem(text: string): IdentifierProblem | null {
  return problem(text, 9, pibCheckDigit);
}

export const isValidMaticniBroj = (text: string) => maticniBrojProblem(text) === null;

export const isValidPib = (text: string) => pibProblem(text) === null;
