// Text as a Windows single-byte code page saves it (what Serbian Excel writes), for import tests.
// The table is the platform's own decoder turned around, so no encoding library is needed.
export function encodeCodePage(text: string, encoding: 'windows-1250' | 'windows-1251'): Uint8Array {
  const decoder = new TextDecoder(encoding);
  const byteOf = new Map<string, number>();
  for (let b = 0; b < 256; b++) byteOf.set(decoder.decode(new Uint8Array([b])), b);
  return Uint8Array.from([...text], (ch) => {
    const b = byteOf.get(ch);
    if (b === undefined) throw new RangeError(`${JSON.stringify(ch)} is not in ${encoding}`);
    return b;
  });
}
