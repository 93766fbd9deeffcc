// The message we write, as a mail client reads it: mailparser (the dev mailbox's parser) gives back
// every header and both bodies exactly, whatever the text, the Message-ID is the one the outbox
// row gave, and nothing in a header can start a header of its own. It is a shortcut (ADR 013), so
// this is also its contract: for the same generated email, a client reads our message exactly as
// it reads the one nodemailer's own MailComposer writes.
import fc from 'fast-check';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { byMailComposer } from '#tests/support/mail-composer';
import { renderEmail } from './render';
import { composeMime, parseMailbox, type MimeEmail } from './mime';

const from = parseMailbox('Деловод — Општина Сурдулица <no-reply@surdulica.test>');
const date = new Date('2026-11-28T04:38:53.000Z');

const emailOf = (over: Partial<MimeEmail>): MimeEmail => ({
  from,
  to: 'ana.jovanovic@surdulica.test',
  subject: 'Чека вас: захтев за прековремени рад',
  text: 'Захтев чека ваше одобрење.',
  html: '<p>Захтев чека ваше одобрење.</p>',
  messageId: '<5f0c4d1e-0000-4000-8000-000000000001@delovod>',
  date,
  ...over,
});

const single = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value[0];

const lines = (raw: Buffer) => raw.toString('utf8').split('\r\n');

describe('composeMime', () => {
  it('gives a mail client back the subject, both bodies, the addresses, the id and the date, for any text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 2000 }), fc.string({ unit: 'grapheme', maxLength: 2000 }), async (subject, text, html) => {
        const raw = await composeMime(emailOf({ subject, text, html }));
        const parsed = await simpleParser(raw);
        // A header is one line: breaks and control characters in a subject become spaces.
        const oneLine = subject.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
        expect(parsed.subject ?? '').toBe(oneLine);
        expect(parsed.text ?? '').toBe(text);
        expect(parsed.html === false ? '' : parsed.html).toBe(html);
        expect(parsed.messageId).toBe('<5f0c4d1e-0000-4000-8000-000000000001@delovod>');
        expect(parsed.date?.toISOString()).toBe(date.toISOString());
        expect(single(parsed.from)).toEqual({ name: 'Деловод — Општина Сурдулица', address: 'no-reply@surdulica.test' });
        expect(single(parsed.to)?.address).toBe('ana.jovanovic@surdulica.test');
        // Nothing the text holds adds a header, and every line fits SMTP's limit.
        expect([...parsed.headers.keys()].sort()).toEqual(['content-type', 'date', 'from', 'message-id', 'mime-version', ...(oneLine ? ['subject'] : []), 'to']);
        expect(Math.max(...lines(raw).map((l) => l.length))).toBeLessThanOrEqual(998);
      }),
      { numRuns: 150 },
    );
  });

  it('writes an email as the workflow renders it in lines of at most 76 characters, folding the subject', async () => {
    const rendered = renderEmail('step.assigned', 'sr-Cyrl', { title: 'Захтев за прековремени рад', number: '01-123/2026', step: 'Одобрење руководиоца', author: 'Никола Петровић', tenant: 'Општина Сурдулица', due: '28.11.2026. 14:00' }, 'https://delovod.example/t/surdulica/documents/0f4c2a1e-5b6d-4c7e-8f90-123456789abc');
    const raw = await composeMime(emailOf(rendered));
    expect(Math.max(...lines(raw).map((l) => l.length))).toBeLessThanOrEqual(76);
    const subject = lines(raw).slice(lines(raw).findIndex((l) => l.startsWith('Subject: ')));
    expect(subject[1]).toMatch(/^ =\?UTF-8\?[BQ]\?/); // folded: the next line goes on with a space
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(rendered.subject);
    expect(parsed.text).toBe(rendered.text);
    expect(parsed.html).toBe(rendered.html);
  });

  it('writes the recipient’s domain in ASCII and refuses what is not an address', async () => {
    expect(lines(await composeMime(emailOf({ to: 'ana@сурдулица.срб' })))).toContain('To: ana@xn--80ahmlxfoc3a.xn--90a3ac');
    for (const to of ['ana@surdulica.test\r\nBcc: eve@evil.test', 'Ana <ana@surdulica.test>', 'ana', 'ana@surdulica.test, eve@evil.test', '']) {
      expect(() => composeMime(emailOf({ to }))).toThrow(/not an email address/);
    }
    expect(() => composeMime(emailOf({ messageId: '<x@delovod>\r\nBcc: eve@evil.test' }))).toThrow(/not a Message-ID/);
  });
});

/** Plain ASCII with what a header treats specially (quotes, specials, encoded-word marks, breaks), and a few letters beyond it. */
const headerish = fc.constantFrom(...'ab Z09,."<>@;:()[]\\=?_\r\n\tŠđж');

/** What a mail client shows of a message. */
const asRead = (m: ParsedMail) => ({
  subject: m.subject ?? '',
  text: m.text ?? '',
  html: m.html === false ? '' : m.html,
  from: single(m.from),
  to: single(m.to),
  messageId: m.messageId,
  date: m.date?.toISOString(),
  contentType: m.headers.get('content-type') && (m.headers.get('content-type') as { value: string }).value,
  headers: [...m.headers.keys()].sort(),
});

describe('composeMime against MailComposer (the contract of the shortcut)', () => {
  it('is read by a mail client exactly as MailComposer’s message of the same email, for any text and sender name', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.string({ unit: headerish, maxLength: 120 })),
        fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: headerish, maxLength: 60 })),
        fc.string({ unit: 'grapheme', maxLength: 1500 }),
        fc.string({ unit: 'grapheme', maxLength: 1500 }),
        async (subject, name, text, html) => {
          const email = emailOf({ subject, text, html, from: { name: name.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim(), address: 'no-reply@surdulica.test' } });
          const [ours, theirs] = await Promise.all([simpleParser(composeMime(email)), byMailComposer(email).then((raw) => simpleParser(raw))]);
          expect(asRead(ours)).toEqual(asRead(theirs));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads the same as MailComposer’s for every email the workflow renders, in every language', async () => {
    for (const locale of ['sr-Cyrl', 'sr-Latn', 'en'] as const) {
      const rendered = renderEmail('step.reminder', locale, { title: 'Захтев за прековремени рад', number: '01-123/2026', step: 'Одобрење руководиоца', author: 'Никола Петровић', tenant: 'Општина Сурдулица', due: '28.11.2026. 14:00', round: 1, rounds: 3 }, 'https://delovod.example/t/surdulica');
      const email = emailOf(rendered);
      expect(asRead(await simpleParser(composeMime(email)))).toEqual(asRead(await simpleParser(await byMailComposer(email))));
    }
  });
});

describe('parseMailbox', () => {
  it.each([
    ['Delovod <no-reply@delovod.localhost>', { name: 'Delovod', address: 'no-reply@delovod.localhost' }],
    ['no-reply@delovod.localhost', { name: '', address: 'no-reply@delovod.localhost' }],
    ['"Opština Surdulica, uprava" <uprava@surdulica.test>', { name: 'Opština Surdulica, uprava', address: 'uprava@surdulica.test' }],
    ['<uprava@surdulica.test>', { name: '', address: 'uprava@surdulica.test' }],
  ])('reads %s', (value, mailbox) => {
    expect(parseMailbox(value)).toEqual(mailbox);
  });

  it('refuses a value that is not a mailbox', () => {
    for (const value of ['Delovod', 'Delovod <>', 'a@b.test, c@d.test']) expect(() => parseMailbox(value)).toThrow(/not an email address/);
  });

  it('quotes a display name with specials, so a client reads it whole', async () => {
    const raw = await composeMime(emailOf({ from: parseMailbox('"Uprava, \\"Surdulica\\"" <uprava@surdulica.test>') }));
    expect(single((await simpleParser(raw)).from)).toEqual({ name: 'Uprava, "Surdulica"', address: 'uprava@surdulica.test' });
  });
});
