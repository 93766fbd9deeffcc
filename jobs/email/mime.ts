// The MIME message of an outgoing email, composed by nodemailer's own MailComposer (issue 27:
// no hand-written MIME): headers encoded and folded, the plain text and the HTML as the two parts
// of multipart/alternative. What is ours is only what goes in: one plain address per recipient
// (nothing that could end a header or add a recipient), a subject on one line, and the
// Message-ID derived from the outbox row, so a resent email is the same message.
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { domainToASCII } from 'node:url';

export interface Mailbox {
  /** The display name ('' for none). */
  name: string;
  address: string;
}

export interface MimeEmail {
  from: Mailbox;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<id@host>`, derived from the outbox row, so a resent email is the same message. */
  messageId: string;
  date: Date;
}

// An address as a header carries it: a dot-atom-like local part and a domain, nothing that could
// end the header or start a comment or group. Quoted local parts are not accepted.
const ADDRESS = /^[^\s<>()[\]\\,;:"@\u0000-\u001f\u007f]+@[^\s<>()[\]\\,;:"@\u0000-\u001f\u007f]+$/;
const MESSAGE_ID = /^<[^\s<>\u0000-\u001f\u007f]+@[^\s<>\u0000-\u001f\u007f]+>$/;
const NON_ASCII = /[^\u0000-\u007f]/;

/** The address with its domain in ASCII (punycode); throws if it is not one an email can go to. */
export function headerAddress(address: string): string {
  if (!ADDRESS.test(address)) throw new Error(`not an email address: ${JSON.stringify(address)}`);
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  if (!NON_ASCII.test(domain)) return address;
  const ascii = domainToASCII(domain);
  if (!ascii) throw new Error(`not an email domain: ${JSON.stringify(domain)}`);
  return `${address.slice(0, at)}@${ascii}`;
}

/** A header value on one line: line breaks and other control characters become spaces. */
const oneLine = (value: string) => value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

/** `Name <address>` or a bare address, as EMAIL_FROM is set (read by nodemailer's parser); throws on anything else. */
export function parseMailbox(value: string): Mailbox {
  const parsed = addressparser(value, { flatten: true });
  if (parsed.length !== 1) throw new Error(`not an email address: ${JSON.stringify(value)}`);
  return { name: oneLine(parsed[0].name), address: headerAddress(parsed[0].address) };
}

/** The whole message, CRLF line ends, ready for SMTP's DATA or a .eml file. */
export function composeMime(email: MimeEmail): Promise<Buffer> {
  if (!MESSAGE_ID.test(email.messageId)) throw new Error(`not a Message-ID: ${JSON.stringify(email.messageId)}`);
  const from = { name: email.from.name, address: headerAddress(email.from.address) };
  return new MailComposer({
    from,
    to: headerAddress(email.to),
    subject: oneLine(email.subject),
    // Base64 bodies come back byte for byte, in lines of 76 (7bit and quoted-printable leave
    // trailing spaces and line ends to the reader's and the relays' interpretation).
    text: { content: Buffer.from(email.text, 'utf8'), contentTransferEncoding: 'base64' },
    html: { content: Buffer.from(email.html, 'utf8'), contentTransferEncoding: 'base64' },
    messageId: email.messageId,
    date: email.date,
  })
    .compile()
    .build();
}
