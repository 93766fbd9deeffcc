// An email of one kind in the recipient's language: plain text and HTML from the same text.
import { toLatin } from '#app/i18n/transliterate';
import type { Locale } from '#app/workflow/template/labels';
import { en, srCyrl, type EmailKind, type EmailParams, type EmailText } from './texts';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const footer: Record<Locale, string> = {
  'sr-Cyrl': 'Деловод — електронски документи локалне самоуправе. Ова порука је послата аутоматски.',
  'sr-Latn': toLatin('Деловод — електронски документи локалне самоуправе. Ова порука је послата аутоматски.'),
  en: 'Delovod — electronic documents for local government. This message was sent automatically.',
};

function textOf(kind: EmailKind, locale: Locale, params: EmailParams): EmailText {
  if (locale === 'en') return en[kind](params);
  const cyrillic = srCyrl[kind](params);
  if (locale === 'sr-Cyrl') return cyrillic;
  return { subject: toLatin(cyrillic.subject), lines: cyrillic.lines.map(toLatin), action: cyrillic.action && toLatin(cyrillic.action) };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderEmail(kind: EmailKind, locale: Locale, params: EmailParams, link?: string): RenderedEmail {
  const t = textOf(kind, locale, params);
  const lines = t.lines.filter(Boolean);
  const action = link && t.action ? { label: t.action, href: link } : null;
  const text = [...lines, ...(action ? [`${action.label}: ${action.href}`] : []), '--', footer[locale]].join('\n\n');
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escape(t.subject)}</title></head>
<body style="font-family:'DejaVu Sans',Arial,sans-serif;color:#1a1f24;line-height:1.5;max-width:36rem;margin:0 auto;padding:1rem">
${lines.map((l) => `<p>${escape(l)}</p>`).join('\n')}
${action ? `<p><a href="${escape(action.href)}" style="display:inline-block;background:#0b4f8a;color:#fff;padding:.6rem 1rem;border-radius:4px;text-decoration:none">${escape(action.label)}</a></p>\n<p style="font-size:.85rem;color:#555">${escape(action.href)}</p>` : ''}
<hr style="border:none;border-top:1px solid #ccd"><p style="font-size:.8rem;color:#555">${escape(footer[locale])}</p>
</body></html>`;
  return { subject: t.subject, text, html };
}
