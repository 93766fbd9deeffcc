/** Domain errors with a code; routes map them to HTTP statuses in one place (`httpStatus`). */
export type AppErrorCode = 'notFound' | 'forbidden' | 'conflict' | 'invalid' | 'stale';

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function httpStatus(code: AppErrorCode): number {
  return { notFound: 404, forbidden: 403, conflict: 409, invalid: 400, stale: 409 }[code];
}
