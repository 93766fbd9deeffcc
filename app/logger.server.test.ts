// Logs help without leaking: a failed query's parameters, personal fields and tokens in paths
// never reach a line, and no line is longer than MAX_LINE.
import pino from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_LINE, loggerOptions, maskedPath } from './logger.server';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: pino({ ...loggerOptions, level: 'info' }, stream), lines };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('the log', () => {
  it('keeps a failed query but not the values it ran with', async () => {
    const { log, lines } = capture();
    const error = new Error('Failed query: insert into users (email) values ($1)\nparams: jovana.secret@primer.test,0601234567', {
      cause: Object.assign(new Error('duplicate key'), { parameters: ['jovana.secret@primer.test'] }),
    });
    log.error({ err: error, requestId: 'r-1' }, 'unhandled error');
    await flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('insert into users');
    expect(lines[0]).toContain('r-1');
    expect(lines[0]).not.toContain('jovana.secret');
    expect(lines[0]).not.toContain('0601234567');
  });

  it('redacts personal fields and masks tokens in paths', async () => {
    const { log, lines } = capture();
    log.info({ email: 'a@b.test', form: { name: 'Петар' }, user: { password: 'x' } }, 'seen');
    await flush();
    expect(lines[0]).not.toMatch(/a@b\.test|Петар|"x"/);
    expect(maskedPath('/invite/abcDEF123_-')).toBe('/invite/[token]');
    expect(maskedPath('/login/reset/abc?x=1')).toBe('/login/reset/[token]?x=1');
  });

  it('never writes a line longer than MAX_LINE, and each stays one JSON object', async () => {
    const { log, lines } = capture();
    log.warn({ huge: 'ж'.repeat(100_000) }, 'long');
    await flush();
    expect(Buffer.byteLength(lines[0])).toBeLessThanOrEqual(MAX_LINE);
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'log line cut' });
  });
});
