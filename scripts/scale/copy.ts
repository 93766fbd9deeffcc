// COPY … FROM STDIN in PostgreSQL's text format, with backpressure: rows are encoded into a
// buffer per table and handed to postgres.js's writable COPY stream in large chunks.
import type { Sql } from 'postgres';
import type { Writable } from 'node:stream';

const SPECIAL = /[\\\n\r\t]/;

/** One field in COPY text format (null → \N). */
export function field(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

// Functions, not arrow constants: tsx wraps those in a naming helper that hides them in profiles.
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
let cachedDay = -1;
let cachedDate = '';

/** toISOString() without the Date object: the date part is computed once per day. */
export function iso(t: number | null | undefined): string | null {
  if (t === null || t === undefined) return null;
  const day = Math.floor(t / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  let ms = t - day * 86_400_000;
  const h = Math.floor(ms / 3_600_000);
  ms -= h * 3_600_000;
  const m = Math.floor(ms / 60_000);
  ms -= m * 60_000;
  const sec = Math.floor(ms / 1000);
  ms -= sec * 1000;
  return `${cachedDate}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

export function json(v: unknown): string {
  return JSON.stringify(v);
}

/** bytea in text format: \x + hex, with the backslash escaped for COPY. */
export function bytea(b: Buffer): string {
  return `\\\\x${b.toString('hex')}`;
}

export class CopyStream {
  private parts: string[] = [];
  private size = 0;
  rows = 0;
  private stream?: Writable;
  private done?: Promise<void>;

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
    private readonly flushAt = 1 << 20,
  ) {}

  async open(sql: Sql): Promise<void> {
    this.stream = await sql.unsafe(`copy ${this.table} (${this.columns.join(', ')}) from stdin`).writable();
    this.done = new Promise((resolve, reject) => {
      this.stream!.on('finish', resolve);
      this.stream!.on('error', reject);
    });
  }

  /** Adds one row of already-encoded fields. */
  row(fields: string[]): void {
    const line = fields.join('\t') + '\n';
    this.parts.push(line);
    this.size += line.length;
    this.rows++;
  }

  get pending(): boolean {
    return this.size >= this.flushAt;
  }

  /**
   * Hands what is buffered to the connection. Up to 32 MB may be in flight, so the server
   * ingests while the next rows are generated; beyond that, waits for it to catch up.
   */
  async flush(): Promise<void> {
    if (!this.parts.length) return;
    const chunk = Buffer.from(this.parts.join(''));
    this.parts = [];
    this.size = 0;
    this.stream!.write(chunk);
    if (this.stream!.writableLength > 32 << 20) await new Promise<void>((resolve) => this.stream!.once('drain', resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream!.end();
    await this.done;
  }
}
