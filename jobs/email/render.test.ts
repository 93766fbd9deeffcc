// The words of the emails a municipality gets while it joins: its application is a "захтев за
// приступање" (zahtev za pristupanje) in both scripts, never a "пријава", the word for signing in.
import { describe, expect, it } from 'vitest';
import { renderEmail } from './render';
import type { EmailKind } from './texts';

const joining: EmailKind[] = ['signupResume', 'signupSubmitted', 'signupApproved', 'signupRejected'];
const params = { name: 'Општина Бојник', comment: null };

describe('the emails of an application to join', () => {
  it.each(joining)('%s calls the application an application, not a sign-in', (kind) => {
    const cyrillic = renderEmail(kind, 'sr-Cyrl', params, 'http://localhost:3000/x');
    const latin = renderEmail(kind, 'sr-Latn', params, 'http://localhost:3000/x');
    expect(`${cyrillic.subject}\n${cyrillic.text}`).toMatch(/захтев(а|у)? за приступање/i);
    expect(`${latin.subject}\n${latin.text}`).toMatch(/zahtev(a|u)? za pristupanje/i);
    // The noun for signing in (пријава, пријаву, пријавом, пријаве) has no place here.
    expect(cyrillic.text).not.toMatch(/пријав(а|у|ом|е)(?![\p{L}])/iu);
    expect(cyrillic.subject).not.toMatch(/пријав(а|у|ом|е)(?![\p{L}])/iu);
  });
});

describe('the month of a report in its email', () => {
  it('is named by the one month formatter, in each language', () => {
    const p = { period: '2026-04', tenant: 'Општина Бојник' };
    expect(renderEmail('report.ready', 'en', p).subject).toBe('Overtime report for April 2026 is ready');
    expect(renderEmail('report.ready', 'sr-Cyrl', p).subject).toBe('Извештај о прековременом раду за април 2026. је спреман');
    expect(renderEmail('report.ready', 'sr-Latn', p).subject).toBe('Izveštaj o prekovremenom radu za april 2026. je spreman');
  });
});

