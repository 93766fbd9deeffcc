import fc from 'fast-check';
import { parse as parseWith } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { checkStaffCsv, decodeCsv } from '#tenants/csv';
import { encodeCodePage } from '#tests/support/codepage';
import { couldRunAsFormula } from '#tests/support/spreadsheet';
import { csvStream, csvText, neutraliseFormula, parseCsv, UnreadableCsv } from './csv.server';

const couldRun = couldRunAsFormula;

const dangerous = ['=', '+', '-', '@', '\t', '\r', ' =', '\u00a0+', '\n-', '\ufeff@', '\u200b=', '＝', ' ＋'];
const cellText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.tuple(fc.constantFrom(...dangerous), fc.string({ maxLength: 20 })).map(([a, b]) => a + b),
);

describe('the one CSV writer', () => {
  it('leaves no cell that a spreadsheet could run, and changes nothing else', () => {
    fc.assert(
      fc.property(cellText, (cell) => {
        const written = neutraliseFormula(cell);
        expect(written.startsWith("'") || !couldRun(written)).toBe(true);
        expect(written).toBe(couldRun(cell) ? `'${cell}` : cell);
      }),
      { numRuns: 5_000 },
    );
  });

  it('neutralises each dangerous start, including after blanks', () => {
    for (const start of dangerous) expect(neutraliseFormula(`${start}HYPERLINK("http://evil.example")`)).toBe(`'${start}HYPERLINK("http://evil.example")`);
    for (const safe of ['Никола', '112-1/2026', '12.50', '', "'=already", 'a=b']) expect(neutraliseFormula(safe)).toBe(safe);
  });

  it('writes records that read back cell for cell (text neutralised, numbers, booleans, dates, objects)', () => {
    const columns = ['a', 'b', 'c'];
    fc.assert(
      fc.property(fc.array(fc.tuple(cellText, cellText, cellText), { maxLength: 6 }), fc.constantFrom(',' as const, ';' as const), (rows, delimiter) => {
        const records = rows.map(([a, b, c]) => ({ a, b, c }));
        const text = csvText(records, { columns, delimiter });
        expect(text.startsWith('\uFEFF')).toBe(true);
        const table = parse(text.slice(1), delimiter);
        expect(table[0]).toEqual(columns);
        expect(table.slice(1)).toEqual(rows.map((r) => r.map(neutraliseFormula)));
      }),
      { numRuns: 1_000 },
    );
    const at = new Date('2026-05-04T10:00:00Z');
    const [, row] = parse(csvText([{ n: -3, t: true, f: false, d: at, o: { x: '=1' }, e: null }], { columns: ['n', 't', 'f', 'd', 'o', 'e'] }).slice(1), ',');
    expect(row).toEqual(['-3', 'true', 'false', '2026-05-04T10:00:00.000Z', '{"x":"=1"}', '']);
  });

  it('streams the same bytes it writes at once', async () => {
    const records = [{ a: '=cmd|x', b: 'Ђурђевдан' }, { a: '+1', b: '-2' }];
    const stream = csvStream({ columns: [{ key: 'a', header: 'A' }, { key: 'b', header: 'B' }], delimiter: ';' });
    for (const r of records) stream.write(r);
    stream.end();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).toString('utf8')).toBe(csvText(records, { columns: [{ key: 'a', header: 'A' }, { key: 'b', header: 'B' }], delimiter: ';' }));
    expect(Buffer.concat(chunks).toString('utf8')).toBe("\uFEFFA;B\r\n'=cmd|x;Ђурђевдан\r\n'+1;'-2\r\n");
  });
});

/** What was written, read back with the delimiter it was written with. */
function parse(text: string, delimiter: ',' | ';'): string[][] {
  return parseWith(text, { delimiter, record_delimiter: '\r\n' }) as string[][];
}

describe('the one CSV reader', () => {
  it('finds the separator spreadsheets saved with: comma, semicolon or tab', () => {
    expect(parseCsv('email,ime\r\nana@x.rs,"Ana, ml."\r\n')).toEqual([['email', 'ime'], ['ana@x.rs', 'Ana, ml.']]);
    expect(parseCsv('email;ime\nana@x.rs;Ana, ml.\n')).toEqual([['email', 'ime'], ['ana@x.rs', 'Ana, ml.']]);
    expect(parseCsv('email\time\nana@x.rs\tAna; ml.\n')).toEqual([['email', 'ime'], ['ana@x.rs', 'Ana; ml.']]);
    expect(parseCsv('email\n\n  \nana@x.rs\n,\n')).toEqual([['email'], ['ana@x.rs']]);
  });

  it('reports a quoted value that is never closed as an unreadable file', () => {
    expect(() => parseCsv('email;ime\n"ana@x.rs;Ana\n')).toThrow(UnreadableCsv);
    const report = checkStaffCsv(new TextEncoder().encode('email;ime i prezime;pozicija\n"ana@x.rs;Ana;Referent\n'), { existingEmails: [], unitCodes: [] });
    expect(report.problems).toEqual(['csv.unreadable|2']);
  });

  const staff = 'email;ime i prezime;radno mesto\r\nana@x.rs;Ана Ђорђевић;Референт\r\nsima@x.rs;Sima Šćepanović;Načelnik\r\n';
  const read = (bytes: Uint8Array) => {
    const report = checkStaffCsv(bytes, { existingEmails: [], unitCodes: [] });
    return { encoding: report.encoding, rows: report.valid.map((r) => [r.email, r.fullName, r.position]) };
  };
  const expected = [
    ['ana@x.rs', 'Ана Ђорђевић', 'Референт'],
    ['sima@x.rs', 'Sima Šćepanović', 'Načelnik'],
  ];

  it('imports UTF-8 with and without a byte order mark, and UTF-16', () => {
    expect(read(new TextEncoder().encode(staff))).toEqual({ encoding: 'utf-8', rows: expected });
    expect(read(new TextEncoder().encode(`\uFEFF${staff}`))).toEqual({ encoding: 'utf-8', rows: expected });
    expect(read(new Uint8Array([0xff, 0xfe, ...Buffer.from(staff, 'utf16le')]))).toEqual({ encoding: 'utf-16le', rows: expected });
  });

  it('imports the Windows code pages of Serbian Cyrillic and Latin, telling which it read', () => {
    const cyrillic = 'email;ime i prezime;radno mesto\r\nana@x.rs;Ана Ђорђевић;Референт\r\n';
    expect(read(encodeCodePage(cyrillic, 'windows-1251'))).toEqual({ encoding: 'windows-1251', rows: [expected[0]] });
    const latin = 'email;ime i prezime;radno mesto\r\nsima@x.rs;Sima Šćepanović;Načelnik\r\n';
    expect(read(encodeCodePage(latin, 'windows-1250'))).toEqual({ encoding: 'windows-1250', rows: [expected[1]] });
    expect(decodeCsv(encodeCodePage('Ђурђевдан', 'windows-1251')).text).toBe('Ђурђевдан');
    expect(decodeCsv(encodeCodePage('Đurđevdan, Čačak', 'windows-1250')).text).toBe('Đurđevdan, Čačak');
  });
});
