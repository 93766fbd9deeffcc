// Outgoing email over SMTP: a worker sends on a few pooled connections, not one per message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '#tests/support/smtp';
import { createMailer, type OutgoingEmail } from './transport';

let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startSmtp();
});

afterAll(async () => {
  await smtp?.close();
});

const email = (tag: string, n: number): OutgoingEmail => ({
  messageId: `<${tag}-${n}@delovod>`,
  to: `primalac${n}@surdulica.test`,
  subject: `Чека вас: захтев ${n}`,
  text: `Захтев ${n} чека ваше одобрење.`,
  html: `<p>Захтев ${n} чека ваше одобрење.</p>`,
});

const deliveredOf = (tag: string) => smtp.delivered.filter((m) => m.messageId?.startsWith(`<${tag}-`));

describe('the SMTP mailer', () => {
  it('sends many emails over at most five connections, each email whole', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, mailDir: '', from: 'delovod@surdulica.test' });
    const before = smtp.connections();
    try {
      await Promise.all(Array.from({ length: 20 }, (_, n) => mailer.send(email('pooled', n))));
      for (let n = 20; n < 25; n++) await mailer.send(email('pooled', n));
    } finally {
      mailer.close();
    }
    const delivered = deliveredOf('pooled');
    expect(delivered).toHaveLength(25);
    expect(new Set(delivered.map((m) => m.subject))).toEqual(new Set(Array.from({ length: 25 }, (_, n) => `Чека вас: захтев ${n}`)));
    expect(smtp.connections() - before).toBeGreaterThan(0);
    expect(smtp.connections() - before).toBeLessThanOrEqual(5);
  });

  it('opens a connection per email when SMTP_URL says pool=false', async () => {
    const mailer = createMailer({ smtpUrl: `${smtp.url}?pool=false`, mailDir: '', from: 'delovod@surdulica.test' });
    const before = smtp.connections();
    try {
      for (let n = 0; n < 3; n++) await mailer.send(email('single', n));
    } finally {
      mailer.close();
    }
    expect(deliveredOf('single')).toHaveLength(3);
    expect(smtp.connections() - before).toBe(3);
  });
});
