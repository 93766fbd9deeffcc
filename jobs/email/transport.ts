// Where emails leave: an SMTP server (SMTP_URL), or — for the demo and development — a folder
// of .eml files that the development mailbox (/national/mail) reads.
import { writeFile as writeFileCallback } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import pLimit from 'p-limit';
import { composeMime, headerAddress, parseMailbox } from './mime';

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
  /**
   * Runs `fn` holding one of the mailer's connections: a delivery sends its email and records it
   * sent inside, so no more emails are between leaving and being recorded than there are
   * connections — all a killed worker can send twice.
   */
  onConnection<T>(fn: () => Promise<T>): Promise<T>;
  close(): void;
}

// The callback form: fs/promises' writeFile goes through a FileHandle and took twice the CPU
// for an email-sized file (49 µs against 24 µs, in-process microbench).
const writeFile = promisify(writeFileCallback);

/** SMTP connections a worker process keeps open (nodemailer's own default). */
const SMTP_CONNECTIONS = 5;

export function createMailer(options: { smtpUrl?: string; mailDir: string; from: string }): Mailer {
  const from = parseMailbox(options.from);
  // Composed by mime.ts (nodemailer's header encoders); the date is the moment it is composed.
  const messageOf = (email: OutgoingEmail) => composeMime({ ...email, from, date: new Date() });
  if (options.smtpUrl) {
    // Pooled: a worker keeps a few SMTP connections open and sends one message after another
    // on each, instead of a new connection, greeting and login per email. `?pool=false` or
    // `?maxConnections=N` in SMTP_URL override it.
    const transport = nodemailer.createTransport({ url: options.smtpUrl, pool: true, maxConnections: SMTP_CONNECTIONS });
    // The pool's own figure, as SMTP_URL left it.
    const connections = (transport.transporter as { options?: { maxConnections?: number } }).options?.maxConnections ?? SMTP_CONNECTIONS;
    return {
      kind: 'smtp',
      onConnection: pLimit(connections),
      async send(email) {
        // The envelope says where the message goes; the message is sent as composed.
        await transport.sendMail({ envelope: { from: from.address, to: [headerAddress(email.to)] }, raw: await messageOf(email) });
      },
      close: () => transport.close(),
    };
  }
  // Made once, the first time it is needed (and again should it have been removed meanwhile).
  let folder: Promise<unknown> | undefined;
  return {
    kind: 'folder',
    // A file is written whole or not at all, and written again the same: no bound needed.
    onConnection: (fn) => fn(),
    async send(email) {
      const message = await messageOf(email);
      await (folder ??= mkdir(options.mailDir, { recursive: true }));
      // Named after the message: writing the same email again replaces it.
      const file = email.messageId.replace(/[^A-Za-z0-9-]/g, '_');
      const path = join(options.mailDir, `${file}.eml`);
      await writeFile(path, message).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        await (folder = mkdir(options.mailDir, { recursive: true }));
        await writeFile(path, message);
      });
    },
    close: () => {},
  };
}
