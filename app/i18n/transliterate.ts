// Serbian Cyrillic ↔ Latin is a fixed letter mapping (Vuk's alphabet ↔ Gaj's Latin alphabet).
// The digraphs lj, nj, dž are single letters in Cyrillic (љ, њ, џ).

const cyrToLat: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i', ј: 'j',
  к: 'k', л: 'l', љ: 'lj', м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't',
  ћ: 'ć', у: 'u', ф: 'f', х: 'h', ц: 'c', ч: 'č', џ: 'dž', ш: 'š',
};

const latToCyr: Record<string, string> = Object.fromEntries(
  Object.entries(cyrToLat).map(([c, l]) => [l, c]),
);

function withCase(letter: string, upper: boolean, nextIsUpper: boolean): string {
  if (!upper) return letter;
  // A capital digraph is "Lj" before lower case ("Ljubljana") and "LJ" in all-caps text.
  if (letter.length > 1 && !nextIsUpper) return letter[0].toUpperCase() + letter.slice(1);
  return letter.toUpperCase();
}

const isUpper = (ch: string | undefined) => !!ch && ch !== ch.toLowerCase() && ch === ch.toUpperCase();

const CYRILLIC = /[\u0400-\u04ff]/;
// Letters toCyrillic maps (its keys' first letters, either case); text without one is returned as is.
const LATIN = /[a-zčćđšž]/i;

export function toLatin(text: string): string {
  if (!CYRILLIC.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const lower = ch.toLowerCase();
    const mapped = cyrToLat[lower];
    if (mapped === undefined) {
      out += ch;
      continue;
    }
    const upper = ch !== lower;
    const next = text[i + 1];
    const prev = text[i - 1];
    out += withCase(mapped, upper, isUpper(next) || (!next && isUpper(prev)));
  }
  return out;
}

// Digraphs first so "nj" becomes њ, not н + ј. Words where the pair is two letters
// (e.g. "injekcija", "konjunktura") are rare exceptions that no letter mapping can know.
const latinLetters = new Map(Object.entries(latToCyr));

export function toCyrillic(text: string): string {
  if (!LATIN.test(text)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const one = text[i].toLowerCase();
    const pair = i + 1 < text.length ? one + text[i + 1].toLowerCase() : '';
    const digraph = pair ? latinLetters.get(pair) : undefined;
    const cyr = digraph ?? latinLetters.get(one);
    if (cyr === undefined) {
      out += text[i];
      i += 1;
      continue;
    }
    out += isUpper(text[i]) ? cyr.toUpperCase() : cyr;
    i += digraph ? 2 : 1;
  }
  return out;
}

export type Script = 'cyrl' | 'latn';

/** Writes Serbian text in the given script, whichever script it was stored in. */
export function inScript(text: string, script: Script): string {
  return script === 'latn' ? toLatin(text) : toCyrillic(text);
}
