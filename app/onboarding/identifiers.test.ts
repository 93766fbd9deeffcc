import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  isValidMaticniBroj,
  isValidPib,
  maticniBrojCheckDigit,
  maticniBrojProblem,
  pibCheckDigit,
  pibProblem,
} from './identifiers';

// Registry numbers and tax ids as published by the entities themselves (site footers, invoices,
// contracts) or used as test vectors by other validators.
const published = [
  { name: 'Grad Novi Pazar, Gradska uprava za naplatu javnih prihoda', mb: '07204990', pib: '104318304' },
  { name: 'Tehnička škola Tutin', mb: '07350767', pib: '102021423' },
  { name: 'Predškolska ustanova Čukarica', mb: '07009496', pib: '100974365' },
  { name: 'Elektrodistribucija Srbije d.o.o. Beograd', mb: '07005466', pib: '100001378' },
  { name: 'JKP Zelenilo Pančevo', mb: '08023654', pib: '101047068' },
  { name: 'Netico Solutions d.o.o. Niš', mb: '20213108', pib: '104701667' },
  { name: 'Servoteh d.o.o.', mb: '17400169', pib: '101017443' },
  { name: 'Endava d.o.o.', mb: '06425747', pib: '100026798' },
  { name: 'KUS Jána Kollára, Selenča', mb: '08055769', pib: '101450672' },
  { name: 'a bank in Beograd, Đorđa Stanojevića 16', mb: '17335600', pib: '100000299' },
  { name: 'an enterprise of the City of Leskovac (site footer)', mb: '06832270', pib: '101910220' },
  { name: 'Expres banka a.d. Beograd', mb: '07803125' },
  { name: 'Prirodno-matematički fakultet', mb: '09018433' },
  { name: 'oblak/serbian-validators test vector', mb: '66143627' },
  { name: 'oblak/serbian-validators test vector', mb: '61629190' },
  { name: 'python-stdnum rs.pib test vector', pib: '101134702' },
  { name: 'oblak/serbian-validators test vector', pib: '112497859' },
];

const replaceDigit = (text: string, at: number, digit: number) =>
  text.slice(0, at) + String(digit) + text.slice(at + 1);

describe('matični broj', () => {
  it('accepts published registry numbers', () => {
    for (const { name, mb } of published) {
      if (mb) expect(maticniBrojProblem(mb), `${name} ${mb}`).toBeNull();
    }
  });

  it('weights the first digit 2 and writes 0 for remainder 1', () => {
    // Weights 8…2 would give 7 and 3 here; remainder 1 (07204990, 17335600) gives 0.
    expect(maticniBrojCheckDigit('2021310')).toBe(8);
    expect(maticniBrojCheckDigit('1740016')).toBe(9);
    expect(maticniBrojCheckDigit('0720499')).toBe(0);
    expect(maticniBrojCheckDigit('1733560')).toBe(0);
  });

  it('reports a wrong check digit', () => {
    expect(maticniBrojProblem('07204991')).toBe('checkDigit');
    expect(maticniBrojProblem('20213107')).toBe('checkDigit');
    expect(maticniBrojProblem('66143628')).toBe('checkDigit');
    expect(isValidMaticniBroj('07350766')).toBe(false);
  });

  it('reports a malformed number', () => {
    for (const text of ['', '0720499', '072049900', '0720499O', ' 07204990', '07 204 990', '０７２０４９９０']) {
      expect(maticniBrojProblem(text), text).toBe('format');
    }
    expect(isValidMaticniBroj('7204990')).toBe(false);
  });

  it('misses a typo only where remainders 0 and 1 share the check digit 0', () => {
    // 07204990 has remainder 1; changing its 7th digit 9 → 3 gives remainder 0, same check digit.
    expect(isValidMaticniBroj('07204930')).toBe(true);
  });

  it('detects any single-digit change of a number whose check digit is not 0', () => {
    const body = fc.stringMatching(/^\d{7}$/);
    fc.assert(
      fc.property(body, fc.nat(7), fc.integer({ min: 1, max: 9 }), (b, at, shift) => {
        const mb = b + maticniBrojCheckDigit(b);
        fc.pre(!mb.endsWith('0') || at === 7);
        const altered = replaceDigit(mb, at, (Number(mb[at]) + shift) % 10);
        expect(maticniBrojProblem(mb)).toBeNull();
        expect(maticniBrojProblem(altered)).toBe('checkDigit');
      }),
    );
  });
});

describe('PIB', () => {
  it('accepts published tax ids', () => {
    for (const { name, pib } of published) {
      if (pib) expect(pibProblem(pib), `${name} ${pib}`).toBeNull();
    }
  });

  it('reports a wrong check digit', () => {
    expect(pibProblem('101134701')).toBe('checkDigit');
    expect(pibProblem('112497851')).toBe('checkDigit');
    expect(pibProblem('104318305')).toBe('checkDigit');
    expect(isValidPib('100000000')).toBe(false);
  });

  it('reports a malformed number', () => {
    for (const text of ['', '10113470', '1011347020', '10113470x', 'RS101134702', '101 134 702']) {
      expect(pibProblem(text), text).toBe('format');
    }
    expect(isValidPib('10113470')).toBe(false);
  });

  it('detects any single-digit change (ISO 7064 MOD 11,10)', () => {
    const body = fc.stringMatching(/^\d{8}$/);
    fc.assert(
      fc.property(body, fc.nat(8), fc.integer({ min: 1, max: 9 }), (b, at, shift) => {
        const pib = b + pibCheckDigit(b);
        const altered = replaceDigit(pib, at, (Number(pib[at]) + shift) % 10);
        expect(isValidPib(pib)).toBe(true);
        expect(pibProblem(altered)).toBe('checkDigit');
      }),
      { numRuns: 1000 },
    );
  });
});
