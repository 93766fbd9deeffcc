// What a spreadsheet program could take for a formula when it opens a CSV (OWASP, CSV Injection):
// a cell that starts with = + - @, a tab or a carriage return, or reaches one of those signs (or
// their full-width forms) after leading blanks and invisible characters that some programs skip.
export function couldRunAsFormula(cell: string): boolean {
  if (/^[=+\-@\t\r]/.test(cell)) return true;
  return /^[=+\-@＝＋－＠]/.test(cell.replace(/^[\s\p{Cc}\p{Cf}]+/u, ''));
}

/** Starts of a cell that a spreadsheet would run, each as an attacker would type it. */
export const formulaStarts = ['=', '+', '-', '@', '\t', '\r', ' =', '\u00a0+'] as const;
