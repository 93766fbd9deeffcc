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
