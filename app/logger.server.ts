import pino from 'pino';
import { env } from './env.server';

export const logger = pino({
  level: env().LOG_LEVEL,
  base: { service: 'delovod' },
  redact: ['password', '*.password', 'req.headers.cookie', 'headers.cookie'],
});

export type Logger = typeof logger;
