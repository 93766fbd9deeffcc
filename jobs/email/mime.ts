// SHORTCUT (ADR 013): the MIME message of an outgoing email, written here directly instead of by
// nodemailer's MailComposer — headers, then the plain text and the HTML as the two parts of
// multipart/alternative, each UTF-8 in base64. MailComposer builds every message through a chain
// of streams (a pipeline per MIME node, with an AbortController and a DOMException each on
// Node 20): 310–340 µs of CPU a message against 26–34 µs here (`npm run bench:mime`), about
// half of what an email job costs a worker, and row 6 (outbox → completion) needs it.
// The header values are nodemailer's own: encoded words and folding from its `mime-funcs`,
// addresses checked by `headerAddress` (nothing that could end a header), the subject and display
// name on one line. `mime.test.ts` is the contract: for generated texts a mail client reads this
// message exactly as it reads MailComposer's, and no text adds a header.
import { domainToASCII } from 'node:url';
import addressparser from 'nodemailer/lib/addressparser';
import { encodeWord, encodeWords, foldLines, quoteString } from 'nodemailer/lib/mime-funcs';

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

/** `Name <address>`, the name as nodemailer writes one: plain, a quoted string, or encoded whole. */
function mailboxHeader({ name, address }: Mailbox): string {
  if (!name) return address;
  if (/^[\w ]*$/.test(name)) return `${name} <${address}>`;
  if (/^[\x20-\x7e]*$/.test(name)) return `${quoteString(name)} <${address}>`;
  return `${encodeWord(name, 'B', 52)} <${address}>`;
}

/** A header folded at whitespace into lines of at most 76 characters where it can be. */
const header = (name: string, value: string) => foldLines(`${name}: ${value}`, 76);

/** Base64 in lines of 76 characters, as MIME asks. */
function base64Lines(body: string): string {
  const encoded = Buffer.from(body, 'utf8').toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return lines.join('\r\n');
}

/** RFC 5322's date: `Sat, 28 Nov 2026 04:38:53 +0000`. */
const rfc5322Date = (date: Date) => date.toUTCString().replace(/GMT$/, '+0000');

/** The whole message, CRLF line ends, ready for SMTP's DATA or a .eml file. */
export function composeMime(email: MimeEmail): Buffer {
  if (!MESSAGE_ID.test(email.messageId)) throw new Error(`not a Message-ID: ${JSON.stringify(email.messageId)}`);
  const from = { name: oneLine(email.from.name), address: headerAddress(email.from.address) };
  const subject = oneLine(email.subject);
  // Named after the message (a resent email is the same message), and safe by construction: a
  // part's lines are base64, whose alphabet has no '-', so no line of a part can be the boundary's.
  const boundary = `----delovod-${email.messageId.slice(1, -1).replace(/[^A-Za-z0-9-]/g, '_')}`.slice(0, 70);
  const part = (type: string, body: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(body)}\r\n`;
  const head = [
    header('From', mailboxHeader(from)),
    header('To', headerAddress(email.to)),
    ...(subject ? [header('Subject', encodeWords(subject, 'B', 52))] : []),
    `Message-ID: ${email.messageId}`,
    `Date: ${rfc5322Date(email.date)}`,
    'MIME-Version: 1.0',
    header('Content-Type', `multipart/alternative; boundary="${boundary}"`),
  ].join('\r\n');
  return Buffer.from(`${head}\r\n\r\n${part('text/plain', email.text)}${part('text/html', email.html)}--${boundary}--\r\n`, 'utf8');
}
