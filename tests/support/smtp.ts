// A real SMTP server on loopback for the email tests. A message counts as delivered only when
// the server has answered 250 to a client still connected — as with any real server, a client
// that vanishes before the answer has delivered nothing.
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
  url: string;
  delivered: ParsedMail[];
  /** Message-IDs whose DATA has arrived (answered or not). */
  started: string[];
  /** Errors the server reported (a client resetting its connection mid-transaction is one). */
  errors: Error[];
  /** Connections clients have opened. */
  connections(): number;
  /** Holds the answer to messages matching `match` for `ms`. */
  delay(match: (raw: string) => boolean, ms: number): void;
  close(): Promise<void>;
}

/** On `port` (default: one the OS chooses), e.g. the port of a sink that was closed, to bring SMTP back. */
export async function startSmtp(port = 0): Promise<TestSmtp> {
  const delivered: ParsedMail[] = [];
  const started: string[] = [];
  const closed = new Set<string>();
  let connections = 0;
  let hold: { match: (raw: string) => boolean; ms: number } | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Closing it is SMTP going down: open connections are dropped within a moment, not 30 s.
    closeTimeout: 200,
    logger: false,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onClose(session) {
      closed.add(session.id);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = await simpleParser(raw);
        started.push(mail.messageId ?? '');
        if (hold && hold.match(raw)) await new Promise((r) => setTimeout(r, hold!.ms));
        if (closed.has(session.id)) return callback(new Error('client gone'));
        delivered.push(mail);
        callback();
      });
    },
  });
  // A client that vanishes mid-transaction (a SIGKILLed worker) resets its socket; the server
  // reports that as an 'error' event, which is what a real server would log, not a crash.
  const errors: Error[] = [];
  server.on('error', (err: Error) => errors.push(err));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: listening } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${listening}`,
    delivered,
    started,
    errors,
    connections: () => connections,
    delay(match, ms) {
      hold = { match, ms };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
