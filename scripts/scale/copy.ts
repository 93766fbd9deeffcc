// COPY … FROM STDIN in PostgreSQL's text format, with backpressure: rows are encoded into
// byte chunks per table and handed to postgres.js's writable COPY stream a megabyte at a time.
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
const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** 'HH:MM:SS.' for every second of a day, and '000'…'999'. */
const SECONDS = Array.from({ length: 86_400 }, (_, s) => `${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor(s / 60) % 60, 2)}:${pad(s % 60, 2)}.`);
const MILLIS = Array.from({ length: 1000 }, (_, ms) => pad(ms, 3));
let cachedDay = -1;
let cachedDate = '';

/** toISOString() from table lookups: the date part once per day, the time of day from tables. */
export function iso(t: number): string {
  const day = Math.floor(t / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const ms = t - day * 86_400_000;
  const sec = Math.floor(ms / 1000);
  return cachedDate + SECONDS[sec] + MILLIS[ms - sec * 1000] + 'Z';
}

/** A nullable timestamp as a COPY field. */
export function isoOrNull(t: number | null | undefined): string {
  return t === null || t === undefined ? '\\N' : iso(t);
}

/** JSON as a COPY field: JSON has no raw tabs or newlines, only backslashes to double. */
export function jsonField(v: unknown): string {
  const s = JSON.stringify(v);
  return s.includes('\\') ? s.replace(/\\/g, '\\\\') : s;
}

export function json(v: unknown): string {
  return JSON.stringify(v);
}

/** bytea in text format: \x + hex, with the backslash escaped for COPY. */
export function bytea(b: Buffer): string {
  return `\\\\x${b.toString('hex')}`;
}

const CHUNK = 1 << 20;

export class CopyStream {
  // Lines are encoded straight into byte chunks: no string outlives its row (the garbage
  // collector cost of holding a megabyte of small strings was a quarter of the run).
  private chunk = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private full: Buffer[] = [];
  rows = 0;
  private stream?: Writable;
  private done?: Promise<void>;

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
  ) {}

  async open(sql: Sql): Promise<void> {
    this.stream = await sql.unsafe(`copy ${this.table} (${this.columns.join(', ')}) from stdin`).writable();
    this.done = new Promise((resolve, reject) => {
      this.stream!.on('finish', resolve);
      this.stream!.on('error', reject);
    });
  }

  /** Adds one row: its fields already encoded, tab-separated, ending in a newline. */
  line(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.used + text.length * 3 > this.chunk.length) {
      this.full.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK, text.length * 3));
      this.used = 0;
    }
    this.used += this.chunk.write(text, this.used);
    this.rows++;
  }

  /** Whether a full chunk waits to be sent. */
  get pending(): boolean {
    return this.full.length > 0;
  }

  /** Takes the full chunks, and with `all` the one being filled. */
  take(all = false): Buffer[] {
    const out = this.full;
    this.full = [];
    if (all && this.used) {
      out.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(CHUNK);
      this.used = 0;
    }
    return out;
  }

  /**
   * Hands the full chunks to the connection. Up to 32 MB may be in flight, so the server
   * ingests while the next rows are generated; beyond that, waits for it to catch up.
   */
  async flush(all = false): Promise<void> {
    for (const chunk of this.take(all)) this.stream!.write(chunk);
    if (this.stream!.writableLength > 32 << 20) await new Promise<void>((resolve) => this.stream!.once('drain', resolve));
  }

  async close(): Promise<void> {
    await this.flush(true);
    this.stream!.end();
    await this.done;
  }
}
