// CSV imports of org units and staff: the bytes are decoded whatever the spreadsheet saved
// them as (UTF-8, UTF-16, or the Windows code pages of Serbian Cyrillic and Latin), every row is
// checked, and the result is a per-row report. Nothing is imported here: the caller imports
// either a file without errors or, when the user asks for it, only the rows without errors.
import { decodeAs, parseCsv, UnreadableCsv, type TextEncoding } from '#app/csv/csv.server';
import { resources } from '#app/i18n/resources';
import { toLatin } from '#app/i18n/transliterate';
import { staffRow, tenantRoles, unitListIssues, unitRow, type StaffRow, type TenantRole, type UnitRow } from '#app/onboarding/schemas';

export type CsvEncoding = TextEncoding;
export const CSV_MAX_BYTES = 2 * 1024 * 1024;
export const CSV_MAX_ROWS = 5000;

const serbianLetter = /[A-Za-zа-шА-ШђјљњћџЂЈЉЊЋЏčćđšžČĆĐŠŽ]/;
const cyrillic = /[\u0400-\u04FF]/;
const latin = /[A-Za-z\u00C0-\u024F]/;

/** How implausible a decoding is as Serbian text: foreign letters and words mixing scripts. */
function implausibility(text: string): number {
  let score = 0;
  for (const ch of text) if (/\p{L}/u.test(ch) && !serbianLetter.test(ch)) score += 1;
  for (const word of text.split(/[^\p{L}]+/u)) if (cyrillic.test(word) && latin.test(word)) score += 1;
  return score;
}

export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decodeAs(bytes, 'utf-16le'), encoding: 'utf-16le' };
  try {
    return { text: decodeAs(bytes, 'utf-8', true), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: one of the single-byte code pages Serbian Excel saves in.
  }
  const cyr = decodeAs(bytes, 'windows-1251');
  const lat = decodeAs(bytes, 'windows-1250');
  return implausibility(lat) < implausibility(cyr) ? { text: lat, encoding: 'windows-1250' } : { text: cyr, encoding: 'windows-1251' };
}

const headerKey = (h: string) =>
  toLatin(h.trim().toLowerCase())
    .replace(/[čć]/g, 'c')
    .replace(/đ/g, 'dj')
    .replace(/š/g, 's')
    .replace(/ž/g, 'z')
    .replace(/[^a-z0-9]/g, '');

type ColumnSpec<K extends string> = Record<K, { aliases: string[]; required: boolean }>;

const unitColumns: ColumnSpec<'code' | 'name' | 'nameEn' | 'parentCode'> = {
  code: { aliases: ['code', 'sifra', 'oznaka', 'sifrajedinice'], required: true },
  name: { aliases: ['name', 'naziv', 'nazivjedinice'], required: true },
  nameEn: { aliases: ['nameen', 'englishname', 'nazivnaengleskom', 'engleskinaziv', 'naziven'], required: false },
  parentCode: { aliases: ['parent', 'parentcode', 'nadredjena', 'nadredjenajedinica', 'sifranadredjene', 'sifranadredjenejedinice'], required: false },
};

const staffColumns: ColumnSpec<'email' | 'fullName' | 'position' | 'unitCode' | 'roles'> = {
  email: { aliases: ['email', 'eposta', 'adresaeposte', 'mejl', 'mail'], required: true },
  fullName: { aliases: ['fullname', 'name', 'imeiprezime', 'ime', 'prezimeiime'], required: true },
  position: { aliases: ['position', 'radnomesto', 'pozicija', 'zvanje'], required: true },
  unitCode: { aliases: ['unit', 'unitcode', 'jedinica', 'sifrajedinice', 'organizacionajedinica'], required: false },
  roles: { aliases: ['role', 'roles', 'uloga', 'uloge'], required: false },
};

export interface CsvRowReport<T> {
  /** Line in the file (the header is line 1). */
  line: number;
  values: Record<string, string>;
  /** i18n keys; empty when the row can be imported. */
  errors: string[];
  row?: T;
}

export interface CsvReport<T> {
  encoding: CsvEncoding | null;
  /** File-level problems (i18n keys, "key|value"): then no row is checked. */
  problems: string[];
  rows: Array<CsvRowReport<T>>;
  valid: T[];
}

function readTable<K extends string>(bytes: Uint8Array, columns: ColumnSpec<K>): { encoding: CsvEncoding | null; problems: string[]; records: Array<{ line: number; values: Record<K, string> }> } {
  if (bytes.byteLength === 0) return { encoding: null, problems: ['onboarding.csv.empty'], records: [] };
  if (bytes.byteLength > CSV_MAX_BYTES) return { encoding: null, problems: ['onboarding.csv.tooBig'], records: [] };
  const { text, encoding } = decodeCsv(bytes);
  let table: string[][];
  try {
    table = parseCsv(text);
  } catch (error) {
    if (error instanceof UnreadableCsv) return { encoding, problems: [`csv.unreadable|${error.line}`], records: [] };
    throw error;
  }
  const [header, ...body] = table;
  if (!header) return { encoding, problems: ['onboarding.csv.empty'], records: [] };
  if (body.length > CSV_MAX_ROWS) return { encoding, problems: [`onboarding.csv.tooManyRows|${CSV_MAX_ROWS}`], records: [] };
  const index = new Map<K, number>();
  header.forEach((h, i) => {
    const key = headerKey(h);
    for (const [column, spec] of Object.entries(columns) as Array<[K, { aliases: string[] }]>) {
      if (spec.aliases.includes(key) && !index.has(column)) index.set(column, i);
    }
  });
  const missing = (Object.entries(columns) as Array<[K, { required: boolean }]>).filter(([c, s]) => s.required && !index.has(c)).map(([c]) => c);
  if (missing.length) return { encoding, problems: missing.map((c) => `onboarding.csv.missingColumn|${c}`), records: [] };
  const records = body.map((cells, i) => ({
    // Line numbers as a spreadsheet shows them; quoted line breaks are rare enough in these files.
    line: i + 2,
    values: Object.fromEntries([...index].map(([column, at]) => [column, (cells[at] ?? '').trim()])) as Record<K, string>,
  }));
  return { encoding, problems: [], records };
}

/** Zod issues of one row as i18n keys, prefixed by the column they concern. */
function issueKeys(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string[] {
  return error.issues.map((i) => `${String(i.path[0] ?? '')}:${i.message}`);
}

const empty = (v: string | undefined) => (v ? v : undefined);

/** Units from CSV, checked together with the units already listed. */
export function checkUnitsCsv(bytes: Uint8Array, existing: UnitRow[]): CsvReport<UnitRow> {
  const { encoding, problems, records } = readTable(bytes, unitColumns);
  const rows: Array<CsvRowReport<UnitRow>> = records.map(({ line, values }) => {
    const parsed = unitRow.safeParse({ code: values.code, name: values.name, nameEn: empty(values.nameEn), parentCode: empty(values.parentCode) });
    return parsed.success ? { line, values, errors: [], row: parsed.data } : { line, values, errors: issueKeys(parsed.error) };
  });
  // Duplicates and parents are judged against the existing units and every parsed row.
  const candidates = rows.filter((r) => r.row);
  const combined = [...existing, ...candidates.map((r) => r.row!)];
  for (const issue of unitListIssues(combined)) {
    if (issue.index < existing.length) continue;
    const report = candidates[issue.index - existing.length];
    report.errors.push(`${issue.field}:${issue.message}`);
  }
  for (const r of rows) if (r.errors.length) delete r.row;
  return { encoding, problems, rows, valid: rows.flatMap((r) => (r.row ? [r.row] : [])) };
}

const roleNames: Map<string, TenantRole> = (() => {
  const map = new Map<string, TenantRole>();
  for (const role of tenantRoles) {
    map.set(headerKey(role), role);
    for (const locale of ['en', 'sr-Cyrl', 'sr-Latn'] as const) {
      const label = (resources[locale].translation.roles as Record<string, string>)[role];
      map.set(headerKey(label), role);
    }
  }
  return map;
})();

export interface StaffCsvContext {
  existingEmails: string[];
  unitCodes: string[];
  adminEmail?: string;
}

/** Staff from CSV: each row valid on its own, no email twice (in the file or already listed), known units. */
export function checkStaffCsv(bytes: Uint8Array, context: StaffCsvContext): CsvReport<StaffRow> {
  const { encoding, problems, records } = readTable(bytes, staffColumns);
  const taken = new Set(context.existingEmails.map((e) => e.toLowerCase()));
  const units = new Set(context.unitCodes.map((c) => c.toUpperCase()));
  const seen = new Set<string>();
  const rows = records.map(({ line, values }): CsvRowReport<StaffRow> => {
    const errors: string[] = [];
    const roleTokens = (values.roles ?? '').split(/[,;|/]+/).map((r) => r.trim()).filter(Boolean);
    const roles = roleTokens.map((r) => roleNames.get(headerKey(r)));
    if (roles.some((r) => !r)) errors.push('roles:onboarding.errors.roleUnknown');
    const parsed = staffRow.safeParse({
      email: empty(values.email),
      fullName: values.fullName,
      position: values.position,
      unitCode: empty(values.unitCode),
      roles: roles.filter(Boolean),
    });
    if (!parsed.success) return { line, values, errors: [...issueKeys(parsed.error), ...errors] };
    const row = parsed.data;
    if (row.email === context.adminEmail?.toLowerCase()) errors.push('email:onboarding.errors.emailIsAdmin');
    else if (taken.has(row.email)) errors.push('email:onboarding.errors.emailListed');
    else if (seen.has(row.email)) errors.push('email:onboarding.errors.emailDuplicate');
    seen.add(row.email);
    if (row.unitCode && !units.has(row.unitCode)) errors.push('unitCode:onboarding.errors.unitUnknown');
    return errors.length ? { line, values, errors } : { line, values, errors, row };
  });
  return { encoding, problems, rows, valid: rows.flatMap((r) => (r.row ? [r.row] : [])) };
}
