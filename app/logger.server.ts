// One logger (pino) for the web process and the worker. Personal data must not fill the logs
// (issue 23): secrets and personal fields are redacted by path, a database error's parameters
// (drizzle puts them in its message) are cut off, tokens in request paths are masked, long
// strings are shortened and a line never exceeds MAX_LINE bytes.
import pino from 'pino';
import { env } from './env.server';

/** The longest log line written; a longer one is replaced by its head, marked as cut. */
export const MAX_LINE = 16 * 1024;
/** The longest string kept in an error's message or stack. */
const MAX_TEXT = 2000;

const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'email',
  '*.email',
  'form',
  '*.form',
  'values',
  '*.values',
  'params',
  '*.params',
  'parameters',
  '*.parameters',
  'err.parameters',
  'err.params',
  'err.cause.parameters',
  'req.headers.cookie',
  'req.headers.authorization',
  'headers.cookie',
  'headers.authorization',
];

/** A database error's text without the values it was run with: drizzle appends them as "params: …". */
export function withoutParameters(text: string): string {
  const cut = text.replace(/(\n|^)params: [\s\S]*?(?=\n {4}at |\n[A-Z]\w*Error|$)/g, '$1params: [redacted]');
  return cut.length > MAX_TEXT ? `${cut.slice(0, MAX_TEXT)}… [${cut.length - MAX_TEXT} more characters]` : cut;
}

function serializeError(error: unknown): unknown {
  const out = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (!out || typeof out !== 'object') return out;
  for (const key of ['message', 'stack'] as const) if (typeof out[key] === 'string') out[key] = withoutParameters(out[key] as string);
  delete out.parameters;
  delete out.params;
  const cause = out.cause as Record<string, unknown> | undefined;
  if (cause && typeof cause === 'object') {
    delete cause.parameters;
    if (typeof cause.message === 'string') cause.message = withoutParameters(cause.message);
    if (typeof cause.stack === 'string') cause.stack = withoutParameters(cause.stack);
  }
  return out;
}

/** Paths whose segments after these carry secrets (invitation, reset and resume tokens). */
export function maskedPath(path: string): string {
  return path.replace(/\/(invite|reset|resume)\/[^/?#]+/g, '/$1/[token]').slice(0, 512);
}

/** A line over MAX_LINE: its head, as a JSON string of its own, so the log stays one JSON object a line. */
export function cappedLine(line: string): string {
  if (Buffer.byteLength(line) <= MAX_LINE) return line;
  return `${JSON.stringify({ level: 40, time: Date.now(), msg: 'log line cut', bytes: Buffer.byteLength(line), head: Buffer.from(line).subarray(0, MAX_LINE / 4).toString() })}\n`;
}

export const loggerOptions = {
  base: { service: 'delovod' },
  redact: { paths: REDACT, censor: '[redacted]' },
  serializers: { err: serializeError, error: serializeError },
  hooks: { streamWrite: cappedLine },
} satisfies pino.LoggerOptions;

export const logger = pino({ ...loggerOptions, level: env().LOG_LEVEL });

export type Logger = typeof logger;
