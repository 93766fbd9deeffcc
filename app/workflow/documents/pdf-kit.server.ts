// pdf-lib with fontkit and the DejaVu fonts (Serbian Cyrillic and Latin, and most European
// scripts), loaded when a process makes its first PDF rather than when it starts: together they
// were about a quarter of the web server's start-up, and most processes never print.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as PdfLib from '@cantoo/pdf-lib';

export type { PDFDocument, PDFFont, PDFPage } from '@cantoo/pdf-lib';
export type Color = ReturnType<typeof PdfLib.rgb>;

export interface PdfKit {
  /** pdf-lib's own module, for what the caller draws or writes. */
  lib: typeof PdfLib;
  fontkit: Parameters<PdfLib.PDFDocument['registerFontkit']>[0];
  fonts: { regular: Uint8Array; bold: Uint8Array };
}

const require = createRequire(import.meta.url);

async function load(): Promise<PdfKit> {
  const [lib, fontkit, regular, bold] = await Promise.all([
    import('@cantoo/pdf-lib'),
    import('@cantoo/fontkit'),
    readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  ]);
  return { lib, fontkit: fontkit.default, fonts: { regular, bold } };
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
