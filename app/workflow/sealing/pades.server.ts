// A PAdES baseline signature on a PDF this app has just laid out (ETSI EN 319 142-1): a
// signature field whose dictionary has SubFilter ETSI.CAdES.detached, the reason, the seal's
// name and the signing time (/M), placed over the seal block drawn on the page; then the file
// is written once and @signpdf fills /ByteRange and /Contents with the CMS (cades.server.ts),
// so the signature covers the whole file but its own value.
import { SignPdf } from '@signpdf/signpdf';
import { pdfKit, type PDFDocument, type PDFPage } from '../documents/pdf-kit.server';
import { CadesSigner, type CadesOptions } from './cades.server';
import type { SealIdentity } from './identity.server';

export interface SealPlacement {
  page: PDFPage;
  /** The seal block on the page: x, y of its lower left corner, width, height (points). */
  rect: [number, number, number, number];
  reason: string;
  location: string;
  sealedAt: Date;
}

/** Room for the CMS besides its certificates, and for an authority's time-stamp token with its own. */
const CMS_ROOM = 6 * 1024;
const TOKEN_ROOM = 12 * 1024;

/** The PDF's bytes, sealed. `pdf` is laid out and not yet saved. */
export async function sealPdf(pdf: PDFDocument, seal: SealIdentity, place: SealPlacement, options: CadesOptions = {}): Promise<Uint8Array> {
  const { PDFHexString, PDFName, PDFString } = (await pdfKit()).lib;
  // @signpdf's placeholder: /ByteRange [0 /********** /********** /**********].
  const BYTE_RANGE_PLACEHOLDER = PDFName.of('**********');
  const context = pdf.context;
  const room = CMS_ROOM + seal.certificates.reduce((sum, c) => sum + c.byteLength, 0) + (options.tsaUrl ? TOKEN_ROOM : 0);
  const signature = context.register(
    context.obj({
      Type: 'Sig',
      Filter: 'Adobe.PPKLite',
      SubFilter: 'ETSI.CAdES.detached',
      // @signpdf looks for /Contents after /ByteRange: the dictionary keeps this order.
      ByteRange: [0, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER],
      Contents: PDFHexString.of('0'.repeat(room * 2)),
      Reason: PDFHexString.fromText(place.reason),
      Name: PDFHexString.fromText(seal.name),
      Location: PDFHexString.fromText(place.location),
      M: PDFString.fromDate(place.sealedAt),
    }),
  );
  const [x, y, width, height] = place.rect;
  const widget = context.register(
    context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      T: PDFString.of('Seal'),
      V: signature,
      // Printed; what it shows is drawn on the page itself, so its own appearance is empty.
      F: 4,
      Rect: [x, y, x + width, y + height],
      P: place.page.ref,
      AP: { N: context.register(context.formXObject([], { BBox: [0, 0, width, height], Resources: {} })) },
    }),
  );
  place.page.node.addAnnot(widget);
  // SigFlags 3: the document has signatures, and is to be changed by appending only.
  pdf.catalog.set(PDFName.of('AcroForm'), context.obj({ SigFlags: 3, Fields: [widget] }));
  // The signature dictionary must be written as it is, not packed into a compressed object stream.
  const unsigned = await pdf.save({ useObjectStreams: false });
  return new SignPdf().sign(Buffer.from(unsigned), new CadesSigner(seal, options));
}
