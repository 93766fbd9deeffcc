// The overtime report as CSV (one table: people, then units, then the total) and as an A4 PDF,
// with headings in the tenant's language.
import { csvText } from '#app/csv/csv.server';
import { newPdf, type PDFFont } from '#app/workflow/documents/pdf-kit.server';
import { toLatin } from '#app/i18n/transliterate';
import type { Locale } from '#app/workflow/template/labels';
import { amountKeys, decimal, hourKeys, type OvertimeFigures, type OvertimeLine } from './overtime';

const headings = {
  en: {
    title: 'Overtime report', level: 'Level', person: 'Person', unitLevel: 'Unit', total: 'Total', name: 'Name', unit: 'Organisational unit', slips: 'Slips',
    totalHours: 'Overtime hours', nightHours: 'Night hours', holidayHours: 'Holiday hours', baseAmount: 'Base amount (RSD)', overtimeIncrease: 'Overtime premium (RSD)',
    nightIncrease: 'Night premium (RSD)', holidayIncrease: 'Holiday premium (RSD)', totalAmount: 'Total (RSD)', people: 'Per person', units: 'Per organisational unit', none: 'No approved overtime pay slips for this month.', noUnit: 'No unit',
  },
  'sr-Cyrl': {
    title: 'Извештај о прековременом раду', level: 'Ниво', person: 'Запослени', unitLevel: 'Јединица', total: 'Укупно', name: 'Име и презиме', unit: 'Организациона јединица', slips: 'Обрачуна',
    totalHours: 'Прековремених часова', nightHours: 'Ноћних часова', holidayHours: 'Празничних часова', baseAmount: 'По основици (дин.)', overtimeIncrease: 'Увећање за прековремени (дин.)',
    nightIncrease: 'Увећање за ноћни (дин.)', holidayIncrease: 'Увећање за празник (дин.)', totalAmount: 'Укупно (дин.)', people: 'По запосленом', units: 'По организационој јединици', none: 'Нема одобрених обрачуна прековременог рада за овај месец.', noUnit: 'Без јединице',
  },
};

type Headings = (typeof headings)['en'];
function headingsFor(locale: Locale): Headings {
  if (locale !== 'sr-Latn') return headings[locale];
  return Object.fromEntries(Object.entries(headings['sr-Cyrl']).map(([k, v]) => [k, toLatin(v)])) as Headings;
}

const columns = [...hourKeys, ...amountKeys];

export function overtimeCsv(figures: OvertimeFigures, locale: Locale): Buffer {
  const h = headingsFor(locale);
  const script = (s: string) => (locale === 'sr-Cyrl' ? s : toLatin(s));
  const row = (level: string, line: OvertimeLine, name: string) => ({
    level,
    name,
    unit: script(line.unit || (line === figures.total ? '' : h.noUnit)),
    slips: line.slips,
    ...Object.fromEntries(columns.map((k) => [k, decimal(line.sums[k])])),
  });
  const records = [
    ...figures.people.map((p) => row(h.person, p, script(p.name))),
    ...figures.units.map((u) => row(h.unitLevel, u, script(u.name || h.noUnit))),
    row(h.total, figures.total, ''),
  ];
  const header = [
    { key: 'level', header: h.level },
    { key: 'name', header: h.name },
    { key: 'unit', header: h.unit },
    { key: 'slips', header: h.slips },
    ...columns.map((k) => ({ key: k, header: h[k] })),
  ];
  return Buffer.from(csvText(records, { columns: header }), 'utf8');
}

export async function overtimePdf(figures: OvertimeFigures, tenantName: string, locale: Locale): Promise<Buffer> {
  const h = headingsFor(locale);
  const script = (s: string) => (locale === 'sr-Cyrl' ? s : toLatin(s));
  const { pdf: doc, kit } = await newPdf();
  const font = await doc.embedFont(kit.fonts.regular, { subset: true });
  const fontBold = await doc.embedFont(kit.fonts.bold, { subset: true });
  doc.setTitle(`${h.title} ${figures.period} — ${tenantName}`);
  // Landscape A4: eleven numeric columns need the width.
  const size = { width: 841.89, height: 595.28 };
  const margin = 36;
  let page = doc.addPage([size.width, size.height]);
  let y = size.height - margin;
  const { ink } = kit.colors;
  const text = (s: string, x: number, f: PDFFont, fontSize: number) => page.drawText(s, { x, y, font: f, size: fontSize, color: ink });
  const widths = [150, 120, 38, ...columns.map(() => 59)];
  // Text widths come from laying the text out with the font's shaping (fontkit), the build's
  // main cost: unit names, headings and many figures repeat, so each is measured once.
  const measured = new Map<PDFFont, Map<string, number>>();
  const widthOf = (s: string, f: PDFFont, fontSize: number) => {
    let known = measured.get(f);
    if (!known) measured.set(f, (known = new Map()));
    const key = `${fontSize}|${s}`;
    let w = known.get(key);
    if (w === undefined) known.set(key, (w = f.widthOfTextAtSize(s, fontSize)));
    return w;
  };
  const clip = (s: string, width: number, f: PDFFont, fontSize: number) => {
    if (widthOf(s, f, fontSize) <= width - 4) return s;
    // The longest prefix that fits with the ellipsis, found by halving.
    let fits = 0;
    let over = s.length;
    while (over - fits > 1) {
      const mid = (fits + over) >> 1;
      if (widthOf(`${s.slice(0, mid)}…`, f, fontSize) <= width - 4) fits = mid;
      else over = mid;
    }
    return `${s.slice(0, fits)}…`;
  };
  const line = (cells: string[], f: PDFFont) => {
    if (y < margin + 14) {
      page = doc.addPage([size.width, size.height]);
      y = size.height - margin;
    }
    let x = margin;
    cells.forEach((c, i) => {
      const fitted = clip(c, widths[i], f, 7);
      const right = i >= 2;
      text(fitted, right ? x + widths[i] - 2 - widthOf(fitted, f, 7) : x, f, 7);
      x += widths[i];
    });
    y -= 12;
  };
  text(`${h.title} — ${figures.period}`, margin, fontBold, 14);
  y -= 18;
  text(tenantName, margin, font, 10);
  y -= 24;
  const head = [h.name, h.unit, h.slips, ...columns.map((k) => h[k])];
  const cells = (l: OvertimeLine, name: string) => [name, script(l.unit), String(l.slips), ...columns.map((k) => decimal(l.sums[k]))];
  if (!figures.people.length) {
    text(h.none, margin, font, 10);
  } else {
    for (const [title, lines, nameOf] of [
      [h.people, figures.people, (l: OvertimeLine) => script(l.name)],
      [h.units, figures.units, (l: OvertimeLine) => script(l.name || h.noUnit)],
    ] as const) {
      text(title, margin, fontBold, 10);
      y -= 14;
      line(head, fontBold);
      for (const l of lines) line(cells(l, nameOf(l)), font);
      y -= 8;
    }
    line([h.total, '', ...cells(figures.total, '').slice(2)], fontBold);
  }
  return Buffer.from(await doc.save());
}
