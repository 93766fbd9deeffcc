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

export const iso = (t: number | null | undefined) => (t === null || t === undefined ? null : new Date(t).toISOString());
export const json = (v: unknown) => JSON.stringify(v);
/** bytea in text format: \x + hex, with the backslash escaped for COPY. */
export const bytea = (b: Buffer) => `\\\\x${b.toString('hex')}`;

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

  /** Writes what is buffered; resolves when the stream can take more. */
  async flush(): Promise<void> {
    if (!this.parts.length) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream!.write(chunk)) await new Promise<void>((resolve) => this.stream!.once('drain', resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream!.end();
    await this.done;
  }
}
