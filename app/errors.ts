// The one place that maps errors to HTTP (issue 27). Domain code throws `AppError` with a code;
// the input boundary (app/security/input.server.ts) turns whatever a route's loader or action
// lets through into its response here, so a route catches a domain error only to render it on
// its own page (`domainError`), never to pick a status.
export type AppErrorCode = 'notFound' | 'forbidden' | 'conflict' | 'invalid' | 'stale';

// Marked, not only a class: server.ts and the Remix build each bundle a copy of this module, and
// the mapper in one must know the other's errors.
const brand = Symbol.for('delovod.AppError');

export class AppError extends Error {
  readonly [brand] = true;
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

const statusOf: Record<AppErrorCode, number> = { notFound: 404, forbidden: 403, conflict: 409, invalid: 400, stale: 409 };
const statusText: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' };

export function httpStatus(code: AppErrorCode): number {
  return statusOf[code];
}

function isAppError(error: unknown): error is AppError {
  return error instanceof Error && (error as unknown as Record<symbol, unknown>)[brand] === true;
}

/** The domain error `error` is, if it has one of `codes` (any code when none are given). */
export function domainError(error: unknown, ...codes: AppErrorCode[]): AppError | null {
  if (!isAppError(error)) return null;
  return codes.length === 0 || codes.includes(error.code) ? error : null;
}

/**
 * A database's refusal of a value a client sent: data exceptions (SQLSTATE class 22: a malformed
 * uuid or date, a value out of range, a NUL byte) and the integrity checks a forged id or a
 * duplicate trips. Found through drizzle's wrapping (`cause`).
 */
function databaseRefusalStatus(error: unknown): number | null {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) continue;
    if (code.startsWith('22')) return 400;
    if (code === '23503' || code === '23514' || code === '23502') return 400;
    if (code === '23505') return 409;
    return null;
  }
  return null;
}

/** The response for an error a loader or action let through; null for one that is a bug (a 500) or a Response already. */
export function httpResponseOf(error: unknown): Response | null {
  if (error instanceof Response) return null;
  const status = isAppError(error) ? httpStatus(error.code) : databaseRefusalStatus(error);
  if (status === null) return null;
  return new Response(statusText[status] ?? 'Error', { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
