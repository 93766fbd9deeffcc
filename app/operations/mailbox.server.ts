// The development mailbox: without SMTP_URL the emails are written to MAIL_DIR as .eml files
// (jobs/email/transport.ts) and national staff read them here, parsed as a mail client would.
// A file is reached only by a name of the writer's pattern — never a path from the request.
import type { AddressObject } from 'mailparser';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { env } from '../env.server';

/** The writer names a file after its Message-ID with everything but letters, digits and '-' made '_'. */
const NAME = /^[A-Za-z0-9_-]{1,200}$/;
export const LISTED = 200;

export interface MailSummary {
  id: string;
  date: Date;
  to: string;
  subject: string;
}

export interface Mail extends MailSummary {
  from: string;
  text: string;
  html: string | null;
}

/** The folder the mailbox shows, or null when it is off or emails go to an SMTP server. */
export function mailboxDir(): string | null {
  const e = env();
  return e.DEV_MAILBOX && !e.SMTP_URL ? e.MAIL_DIR : null;
}

export const isMailId = (id: string | undefined): id is string => typeof id === 'string' && NAME.test(id);

const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a.map((x) => x.text).join(', ') : (a?.text ?? ''));

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

async function parse(dir: string, id: string): Promise<Mail | null> {
  const file = join(dir, `${id}.eml`);
  try {
    const [raw, info] = await Promise.all([readFile(file), stat(file)]);
    // mailparser loads on the mailbox's first use, not with every web process (about 0.1 s).
    const { simpleParser } = await import('mailparser');
    const m = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
    return {
      id,
      date: m.date ?? info.mtime,
      from: addresses(m.from),
      to: addresses(m.to),
      subject: m.subject ?? '',
      text: m.text ?? '',
      html: m.html || null,
    };
  } catch (error) {
    // Gone since the folder was read (a resent email replaces its file).
    if (missing(error)) return null;
    throw error;
  }
}

/** The newest emails first (at most LISTED), and how many the folder holds. */
export async function listMail(dir: string): Promise<{ mails: MailSummary[]; total: number }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (missing(error)) return { mails: [], total: 0 };
    throw error;
  }
  const ids = names.flatMap((n) => (n.endsWith('.eml') && isMailId(n.slice(0, -4)) ? [n.slice(0, -4)] : []));
  const stamped = await Promise.all(ids.map(async (id) => ({ id, at: await stat(join(dir, `${id}.eml`)).then((s) => s.mtimeMs, () => -1) })));
  const newest = stamped.filter((s) => s.at >= 0).sort((a, b) => b.at - a.at).slice(0, LISTED);
  const mails = (await Promise.all(newest.map((s) => parse(dir, s.id)))).flatMap((m) => (m ? [{ id: m.id, date: m.date, to: m.to, subject: m.subject }] : []));
  return { mails, total: ids.length };
}

export async function readMail(dir: string, id: string): Promise<Mail | null> {
  return isMailId(id) ? parse(dir, id) : null;
}
