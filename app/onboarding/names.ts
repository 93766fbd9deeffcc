// Names of a body that signs up: the Serbian name in both scripts, an English name and the
// slug of its address (/t/<slug>), each derived when the applicant leaves it empty.
import { toCyrillic, toLatin } from '../i18n/transliterate';

export const bodyKinds = ['municipality', 'city', 'city_municipality', 'agency'] as const;
export type BodyKind = (typeof bodyKinds)[number];

/** Both scripts of a Serbian name: the one given, or the other one transliterated. */
export function bothScripts(cyrl: string, latn: string): { nameCyrl: string; nameLatn: string } {
  const c = cyrl.trim();
  const l = latn.trim();
  return { nameCyrl: c || toCyrillic(l), nameLatn: l || toLatin(c) };
}

// The kind's word that opens an official name ("Opština Vlasotince"), longest first.
const kindPrefixes: Array<{ prefix: RegExp; kind: BodyKind }> = [
  { prefix: /^gradska op[sš]tina\s+/i, kind: 'city_municipality' },
  { prefix: /^op[sš]tina\s+/i, kind: 'municipality' },
  { prefix: /^grad\s+/i, kind: 'city' },
];

/** "Opština Vlasotince" → "Vlasotince"; other names unchanged. */
export function shortName(nameLatn: string): string {
  const name = nameLatn.trim();
  for (const { prefix } of kindPrefixes) if (prefix.test(name)) return name.replace(prefix, '');
  return name;
}

const englishPattern: Record<BodyKind, ((place: string) => string) | null> = {
  municipality: (p) => `Municipality of ${p}`,
  city: (p) => `City of ${p}`,
  city_municipality: (p) => `City Municipality of ${p}`,
  agency: null,
};

/** "Municipality of Vlasotince" for a municipality named after its place; the Latin name otherwise. */
export function englishName(kind: BodyKind, nameLatn: string): string {
  const place = shortName(nameLatn);
  const pattern = englishPattern[kind];
  return pattern && place !== nameLatn.trim() ? pattern(place) : nameLatn.trim();
}

const ascii: Record<string, string> = { č: 'c', ć: 'c', đ: 'dj', š: 's', ž: 'z' };

/** The address slug proposed for a body: "Gradska opština Savski venac" → "savski-venac". */
export function suggestSlug(nameLatn: string): string {
  return shortName(toLatin(nameLatn))
    .toLowerCase()
    .replace(/[čćđšž]/g, (ch) => ascii[ch])
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

export const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
