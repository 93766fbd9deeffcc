// Where emails leave: an SMTP server (SMTP_URL), or — for the demo and development — a folder
// of .eml files with a JSON summary beside each, for a development mailbox to list.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingEmail {
  /** Derived from the outbox row, so a resent email is recognisably the same message. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  kind: 'smtp' | 'folder';
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/** What the development mailbox lists for each message in the folder. */
export interface MailboxEntry {
  file: string;
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  date: string;
}

export function createMailer(options: { smtpUrl?: string; mailDir: string; from: string }): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl, { from: options.from });
    return {
      kind: 'smtp',
      async send(email) {
        await transport.sendMail({ ...email, from: options.from });
      },
      close: () => transport.close(),
    };
  }
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'folder',
    async send(email) {
      const info = await builder.sendMail({ ...email, from: options.from });
      await mkdir(options.mailDir, { recursive: true });
      // Named after the message: writing the same email again replaces it.
      const file = email.messageId.replace(/[^A-Za-z0-9-]/g, '_');
      await writeFile(join(options.mailDir, `${file}.eml`), info.message as Buffer);
      const entry: MailboxEntry = { file: `${file}.eml`, ...email, date: new Date().toISOString() };
      await writeFile(join(options.mailDir, `${file}.json`), JSON.stringify(entry));
    },
    close: () => builder.close(),
  };
}
