// pdf-lib with fontkit and the DejaVu fonts (Serbian Cyrillic and Latin, and most European
// scripts), loaded when a process makes its first PDF rather than when it starts: together they
// were about a quarter of the web server's start-up, and most processes never print.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as PdfLib from '@cantoo/pdf-lib';

export type { PDFDocument, PDFFont, PDFPage } from '@cantoo/pdf-lib';
export type Color = ReturnType<typeof PdfLib.rgb>;

/** The house colours of every PDF: text, secondary text, rules, box fill, warnings. */
function paletteOf({ rgb }: typeof PdfLib) {
  return { ink: rgb(0.1, 0.12, 0.14), muted: rgb(0.33, 0.37, 0.42), rule: rgb(0.75, 0.79, 0.84), wash: rgb(0.95, 0.96, 0.97), warning: rgb(0.7, 0.08, 0.08) };
}
export type Palette = ReturnType<typeof paletteOf>;

export interface PdfKit {
  /** pdf-lib's own module, for what the caller draws or writes. */
  lib: typeof PdfLib;
  fontkit: Parameters<PdfLib.PDFDocument['registerFontkit']>[0];
  fonts: { regular: Uint8Array; bold: Uint8Array };
  colors: Palette;
}

const require = createRequire(import.meta.url);

async function load(): Promise<PdfKit> {
  const [lib, fontkit, regular, bold] = await Promise.all([
    import('@cantoo/pdf-lib'),
    import('@cantoo/fontkit'),
    readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  ]);
  return { lib, fontkit: fontkit.default, fonts: { regular, bold }, colors: paletteOf(lib) };
}

let loading: Promise<PdfKit> | undefined;

/** The kit, loaded once per process; a failed load is tried again on the next call. */
export function pdfKit(): Promise<PdfKit> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** A new, empty PDF that can embed the fonts, with the kit it was made from. */
export async function newPdf(): Promise<{ pdf: PdfLib.PDFDocument; kit: PdfKit }> {
  const kit = await pdfKit();
  const pdf = await kit.lib.PDFDocument.create();
  pdf.registerFontkit(kit.fontkit);
  return { pdf, kit };
}
