// Every CSV Delovod writes or reads goes through this module, on one library family (the `csv`
// project: csv-stringify writes, csv-parse reads).
//
// Written files open in spreadsheet programs, which run a cell that starts like a formula
// (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`). Every text cell is therefore neutralised as OWASP's
// "CSV Injection" advises: one that starts with =, +, -, @, a tab or a carriage return — or with
// one of those four signs (or their full-width forms) after leading spaces or invisible
// characters, which some programs skip — gets a leading apostrophe, so it is shown as text.
// Numbers are written as numbers: a number cannot be a formula.
import { parse } from 'csv-parse/sync';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { stringify, type Options, type Stringifier } from 'csv-stringify';

const FORMULA_START = /^[=+\-@\t\r]|^[\s\p{Cc}\p{Cf}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u;

/** The cell as a spreadsheet will show it as text: with a leading apostrophe if it could start a formula. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export type CsvColumns = ReadonlyArray<string | { key: string; header: string }>;

export interface CsvOptions {
  /** The columns, in order: a key of the records (also the header), or a key and its header. */
  columns: CsvColumns;
  /** ';' where spreadsheets expect it (a locale whose decimal mark is a comma); ',' by default. */
  delimiter?: ',' | ';';
}

function stringifyOptions({ columns, delimiter = ',' }: CsvOptions): Options {
  return {
    // The byte order mark makes spreadsheet programs read the UTF-8 (Cyrillic) correctly.
    bom: true,
    header: true,
    delimiter,
    record_delimiter: 'windows',
    columns: columns.map((c) => (typeof c === 'string' ? { key: c, header: c } : c)),
    cast: {
      string: neutraliseFormula,
      boolean: (value) => String(value),
      date: (value) => value.toISOString(),
      object: (value) => neutraliseFormula(JSON.stringify(value)),
    },
  };
}

/** A stream of records (objects keyed by the columns) in, CSV text out: for files too large to hold at once. */
export function csvStream(options: CsvOptions): Stringifier {
  return stringify(stringifyOptions(options));
}

/** Records as one CSV text. */
export function csvText(records: ReadonlyArray<Record<string, unknown>>, options: CsvOptions): string {
  // csv-stringify writes null and undefined as empty cells.
  return stringifySync(records as Array<Record<string, unknown>>, stringifyOptions(options));
}

/** A file that is not CSV we can read: a quoted value is never closed (`line` where the file ends). */
export class UnreadableCsv extends Error {
  constructor(readonly line: number) {
    super(`unreadable CSV (line ${line})`);
  }
}

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * Rows of cells from CSV text. The delimiter is the one of comma, semicolon and tab that splits
 * the first row into the most cells (spreadsheets save with either, by locale). Blank lines and
 * rows of blank cells are left out; rows may have any number of cells.
 */
export function parseCsv(text: string): string[][] {
  const options = { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, skip_records_with_empty_values: true } as const;
  try {
    const first = (delimiter: string) => (parse(text, { ...options, delimiter, to_line: 1 }) as string[][])[0]?.length ?? 0;
    const delimiter = DELIMITERS.reduce((best, d) => (first(d) > first(best) ? d : best));
    return parse(text, { ...options, delimiter }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    if (typeof line === 'number') throw new UnreadableCsv(line);
    throw error;
  }
}

/** The text encodings an imported file may be in. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'windows-1251' | 'windows-1250';

/** `bytes` decoded as `encoding` (the platform's TextDecoder; `fatal`: refuse bytes that are not valid in it). */
export function decodeAs(bytes: Uint8Array, encoding: TextEncoding, fatal = false): string {
  // A leading byte order mark is dropped by the decoder.
  return new TextDecoder(encoding, { fatal }).decode(bytes);
}
