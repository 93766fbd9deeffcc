// The library the MIME shortcut (jobs/email/mime.ts, ADR 013) stands in for: the same email as
// nodemailer's MailComposer writes it. Its contract test compares what a mail client reads of
// the two; `npm run bench:mime` compares what they cost.
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MimeEmail } from '#jobs/email/mime';

export function byMailComposer(email: MimeEmail): Promise<Buffer> {
  return new MailComposer({
    from: email.from,
    to: email.to,
    subject: email.subject.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim(),
    text: { content: Buffer.from(email.text, 'utf8'), contentTransferEncoding: 'base64' },
    html: { content: Buffer.from(email.html, 'utf8'), contentTransferEncoding: 'base64' },
    messageId: email.messageId,
    date: email.date,
  })
    .compile()
    .build();
}
