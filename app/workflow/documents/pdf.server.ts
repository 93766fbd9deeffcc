// The registered document as a PDF (DESIGN §5): A4, DejaVu Sans embedded as a subset (Serbian
// Cyrillic and Latin, and most European scripts), every page numbered and carrying the registry
// number. A character the font has no glyph for (e.g. Hangul) is printed as U+FFFD and a note
// says so, rather than the render failing: the stored document keeps the original text.
import type { Tx } from '#db/client';
import { i18nFor } from '../../i18n/i18n';
import { newPdf, type Color, type Palette, type PDFDocument, type PDFFont, type PDFPage } from './pdf-kit.server';
import { printableDocument, type PrintableDocument, type PrintableRequest } from './printable.server';
import { belgradeDateTime } from '../../time/belgrade';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { left: 56, right: 56, top: 56, bottom: 64 };
const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const REPLACEMENT = '\uFFFD';

interface Style {
  font: PDFFont;
  size: number;
  color?: Color;
}

/** Flows text down the pages: wraps at word boundaries, breaks words wider than a line, starts pages as needed. */
class Composer {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = 0;
  /** Whether a character had to be replaced for want of a glyph. */
  replaced = false;
  private readonly glyphs = new Map<PDFFont, Set<number>>();

  constructor(
    private readonly doc: PDFDocument,
    private readonly colors: Palette,
  ) {
    this.newPage();
  }

  private newPage() {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.pages.push(this.page);
    this.y = A4.height - MARGIN.top;
  }

  /** Text the font can draw: control characters go, and a character without a glyph becomes U+FFFD. */
  printable(text: string, font: PDFFont): string {
    let glyphs = this.glyphs.get(font);
    if (!glyphs) this.glyphs.set(font, (glyphs = new Set(font.getCharacterSet())));
    let out = '';
    for (const ch of text.replace(/\t/g, ' ')) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
      if (glyphs.has(cp)) out += ch;
      else {
        out += REPLACEMENT;
        this.replaced = true;
      }
    }
    return out;
  }

  /** Splits text into lines no wider than `width`; paragraphs (line breaks) are kept. */
  wrap(text: string, style: Style, width: number): string[] {
    const lines: string[] = [];
    const measure = (s: string) => style.font.widthOfTextAtSize(s, style.size);
    const widths = new Map<string, number>();
    const glyphWidth = (ch: string) => widths.get(ch) ?? widths.set(ch, measure(ch)).get(ch)!;
    for (const paragraph of text.split(/\r\n|\r|\n/)) {
      const words = this.printable(paragraph, style.font).split(' ').filter(Boolean);
      let line = '';
      for (const word of words) {
        const candidate = line ? `${line} ${word}` : word;
        if (measure(candidate) <= width) {
          line = candidate;
          continue;
        }
        if (line) lines.push(line);
        line = '';
        let rest = word;
        // A word wider than the line (an id, a long number; a field's whole 4,000 characters may
        // be one) is broken where it must be: the line's length estimated from each character's
        // width, then shortened while kerning makes it too wide. Measuring every prefix in turn
        // took minutes for such a field.
        for (;;) {
          let cut = 0;
          let used = 0;
          for (const ch of rest) {
            const w = glyphWidth(ch);
            if (cut > 0 && used + w > width) break;
            used += w;
            cut += ch.length;
          }
          if (cut >= rest.length && measure(rest) <= width) break;
          while (cut > 1 && measure(rest.slice(0, cut)) > width) cut--;
          lines.push(rest.slice(0, cut));
          rest = rest.slice(cut);
        }
        line = rest;
      }
      lines.push(line);
    }
    return lines;
  }

  private lineHeight(style: Style) {
    return style.size * 1.35;
  }

  /** Makes room for `height` points on this page, or starts the next one. */
  ensure(height: number) {
    if (this.y - height < MARGIN.bottom) this.newPage();
  }

  space(points: number) {
    this.y -= points;
  }

  paragraph(text: string, style: Style, options: { x?: number; width?: number } = {}) {
    const x = options.x ?? MARGIN.left;
    const width = options.width ?? CONTENT_WIDTH;
    const h = this.lineHeight(style);
    for (const line of this.wrap(text, style, width)) {
      this.ensure(h);
      this.y -= h;
      if (line) this.page.drawText(line, { x, y: this.y + h - style.size, size: style.size, font: style.font, color: style.color ?? this.colors.ink });
    }
  }

  /** A label and its value side by side, each wrapped in its own column; a long value flows onto the next page. */
  labelled(label: string, value: string, labelStyle: Style, valueStyle: Style, labelWidth = CONTENT_WIDTH * 0.34) {
    const gap = 12;
    const labels = this.wrap(label, labelStyle, labelWidth);
    const values = this.wrap(value, valueStyle, CONTENT_WIDTH - labelWidth - gap);
    const h = Math.max(this.lineHeight(labelStyle), this.lineHeight(valueStyle));
    for (let i = 0; i < Math.max(labels.length, values.length); i++) {
      this.ensure(h);
      this.y -= h;
      const baseline = this.y + h - valueStyle.size;
      if (labels[i]) this.page.drawText(labels[i], { x: MARGIN.left, y: baseline, size: labelStyle.size, font: labelStyle.font, color: labelStyle.color ?? this.colors.muted });
      if (values[i]) this.page.drawText(values[i], { x: MARGIN.left + labelWidth + gap, y: baseline, size: valueStyle.size, font: valueStyle.font, color: valueStyle.color ?? this.colors.ink });
    }
    this.y -= 3;
  }

  heading(text: string, style: Style) {
    // Keep a heading with at least two lines of what follows it.
    this.ensure(this.lineHeight(style) * 3 + 10);
    this.space(10);
    this.paragraph(text, style);
    this.page.drawLine({ start: { x: MARGIN.left, y: this.y - 2 }, end: { x: A4.width - MARGIN.right, y: this.y - 2 }, thickness: 0.6, color: this.colors.rule });
    this.space(8);
  }

  /** A shaded box around facts a reader looks for first (the registry's, the seal's); returns where it was drawn. */
  box(lines: Array<{ text: string; style: Style }>, border = this.colors.rule): { page: PDFPage; rect: [number, number, number, number] } {
    const pad = 8;
    const wrapped = lines.map((l) => ({ ...l, lines: this.wrap(l.text, l.style, CONTENT_WIDTH - 2 * pad) }));
    const height = wrapped.reduce((sum, l) => sum + l.lines.length * this.lineHeight(l.style), 0) + 2 * pad;
    this.ensure(height);
    const drawn = { page: this.page, rect: [MARGIN.left, this.y - height, CONTENT_WIDTH, height] as [number, number, number, number] };
    this.page.drawRectangle({ x: MARGIN.left, y: this.y - height, width: CONTENT_WIDTH, height, color: this.colors.wash, borderColor: border, borderWidth: 0.8 });
    this.y -= pad;
    for (const l of wrapped) {
      const h = this.lineHeight(l.style);
      for (const line of l.lines) {
        this.y -= h;
        this.page.drawText(line, { x: MARGIN.left + pad, y: this.y + h - l.style.size, size: l.style.size, font: l.style.font, color: l.style.color ?? this.colors.ink });
      }
    }
    this.y -= pad;
    return drawn;
  }
}

/** What the seal block at the end of a sealed document says (sealing/seal-document.server.ts). */
export interface SealMark {
  holder: string;
  sealedAt: Date;
  timestamped: boolean;
  /** A test seal: the block says, in red, that it is not a valid seal. */
  test: boolean;
}

/** Where the seal block was drawn: the signature's field goes over it. */
export interface SealBlock {
  page: PDFPage;
  rect: [number, number, number, number];
}

function layout(pdf: PDFDocument, colors: Palette, d: PrintableDocument, fonts: { regular: PDFFont; bold: PDFFont }, seal?: SealMark): SealBlock | undefined {
  const { muted, rule, warning } = colors;
  const t = i18nFor(d.locale).t;
  const body: Style = { font: fonts.regular, size: 10 };
  const small: Style = { font: fonts.regular, size: 8.5, color: muted };
  const strong: Style = { font: fonts.bold, size: 10 };
  const c = new Composer(pdf, colors);

  c.paragraph(d.tenantName, { font: fonts.bold, size: 13 });
  // Where both scripts appear, Latin goes below the Cyrillic (Constitution art. 10).
  if (d.tenantNameLatin) c.paragraph(d.tenantNameLatin, { font: fonts.regular, size: 10, color: muted });
  c.space(14);
  c.paragraph(d.title, { font: fonts.bold, size: 16 });
  c.space(8);
  c.box([
    { text: `${t('registry.pdf.registryNumber')}: ${d.registryNumber}`, style: { font: fonts.bold, size: 14 } },
    { text: `${t('registry.pdf.registeredAt')}: ${d.registeredAt.date} ${d.registeredAt.time}`, style: { font: fonts.regular, size: 11 } },
  ]);
  c.space(8);
  const author = [d.author.name, d.author.position, d.author.unit].filter(Boolean).join(', ');
  c.labelled(t('registry.pdf.author'), author, body, body);
  if (d.state !== 'registered') c.labelled(t('registry.pdf.state'), t(`registry.states.${d.state}`), body, body);

  c.heading(t('registry.pdf.contents'), { font: fonts.bold, size: 12 });
  for (const f of d.fields) c.labelled(f.label, f.value, body, body);
  if (d.computed.length) {
    c.heading(t('registry.pdf.computed'), { font: fonts.bold, size: 12 });
    for (const v of d.computed) c.labelled(v.label, v.basis ? `${v.value} = ${v.basis}` : v.value, body, strong);
  }

  c.heading(t('registry.pdf.line'), { font: fonts.bold, size: 12 });
  d.line.forEach((s, i) => {
    c.ensure(body.size * 1.35 * 3);
    const round = d.rounds > 1 ? ` (${t('registry.pdf.round', { round: s.round })})` : '';
    c.paragraph(`${i + 1}. ${s.step}${round}`, strong);
    const who = [s.name, s.position].filter(Boolean).join(', ');
    c.paragraph(s.onBehalfOf ? `${who} — ${t('registry.pdf.onBehalfOf', { name: s.onBehalfOf })}` : who, body, { x: 70, width: CONTENT_WIDTH - 14 });
    const outcome = s.outcome ? t(`registry.pdf.outcomes.${s.outcome}`) : t('registry.pdf.waiting');
    c.paragraph(s.actedAt ? `${outcome} · ${s.actedAt.date} ${s.actedAt.time}` : outcome, body, { x: 70, width: CONTENT_WIDTH - 14 });
    if (s.comment) c.paragraph(`${t('registry.pdf.comment')}: ${s.comment}`, body, { x: 70, width: CONTENT_WIDTH - 14 });
    c.space(6);
  });

  let sealBlock: SealBlock | undefined;
  if (seal) {
    const sealedAt = belgradeDateTime(seal.sealedAt);
    c.space(12);
    sealBlock = c.box(
      [
        { text: t('seal.block.title'), style: { font: fonts.bold, size: 11 } },
        { text: `${t('seal.block.holder')}: ${seal.holder}`, style: body },
        { text: `${t('seal.block.registryNumber')}: ${d.registryNumber}`, style: body },
        { text: `${t('seal.block.sealedAt')}: ${sealedAt.date} ${sealedAt.time}`, style: body },
        { text: `${t('seal.block.level')}: ${t(seal.timestamped ? 'seal.block.levelT' : 'seal.block.levelB')}`, style: body },
        ...(seal.test ? [{ text: t('seal.block.test'), style: { font: fonts.bold, size: 10, color: warning } }] : []),
        { text: t('seal.block.verify'), style: small },
      ],
      seal.test ? warning : rule,
    );
  }

  if (c.replaced) {
    c.space(10);
    c.paragraph(t('registry.pdf.replaced'), small);
  }

  const footer = `${d.registryNumber} · ${t('registry.pdf.documentId')}: ${d.id}`;
  c.pages.forEach((page, i) => {
    const text = c.printable(footer, fonts.regular);
    page.drawText(text, { x: MARGIN.left, y: 36, size: small.size, font: small.font, color: muted });
    const number = t('registry.pdf.page', { page: i + 1, pages: c.pages.length });
    const width = fonts.regular.widthOfTextAtSize(number, small.size);
    page.drawText(number, { x: A4.width - MARGIN.right - width, y: 36, size: small.size, font: small.font, color: muted });
  });
  return sealBlock;
}

/** The document laid out and not yet saved; with `seal`, closed by the seal block (for sealing/pades.server.ts to sign over). */
export async function composeDocumentPdf(d: PrintableDocument, seal?: SealMark): Promise<{ pdf: PDFDocument; sealBlock?: SealBlock }> {
  const { pdf, kit } = await newPdf();
  const files = kit.fonts;
  // Ligatures off: each glyph then maps back to exactly one character, so the text copies and searches as written.
  const options = { subset: true, features: { liga: false } };
  const fonts = { regular: await pdf.embedFont(files.regular, options), bold: await pdf.embedFont(files.bold, options) };
  pdf.setTitle(`${d.registryNumber} — ${d.title}`);
  pdf.setAuthor(d.tenantName);
  pdf.setLanguage(d.locale);
  pdf.setCreator('Delovod');
  pdf.setProducer('Delovod');
  const sealBlock = layout(pdf, kit.colors, d, fonts, seal);
  return { pdf, sealBlock };
}

/** The document as an unsealed PDF (a numbered document not registered yet, a tenant's export). */
export async function documentPdf(d: PrintableDocument): Promise<Uint8Array> {
  return (await composeDocumentPdf(d)).pdf.save();
}

/** An ASCII-safe download name: registry numbers contain '/', and a tenant's format may hold any character. */
export function pdfFileName(registryNumber: string): string {
  const safe = registryNumber.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return `delovodnik-${safe || 'dokument'}.pdf`;
}

/** The tenant's registered document as a PDF in the reader's locale, or null when there is no such registered document. */
export async function renderDocumentPdf(tx: Tx, request: PrintableRequest): Promise<Uint8Array | null> {
  const printable = await printableDocument(tx, request);
  return printable ? documentPdf(printable) : null;
}
