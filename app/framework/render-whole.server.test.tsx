import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWhole } from './render-whole.server';

const nextTurns = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function Page({ words }: { words: number }) {
  return (
    <main>
      <h1>Пријемно сандуче</h1>
      <p>{Array.from({ length: words }, (_, i) => `реч${i}`).join(' ')}</p>
    </main>
  );
}

describe('renderWhole', () => {
  it('gives the whole page, Cyrillic across React’s 4 KiB chunks without a NUL', async () => {
    const html = (await renderWhole(<Page words={3000} />, { abortAfterMs: 5_000, onError: () => {} })).toString('utf8');
    expect(html.startsWith('<main><h1>Пријемно сандуче</h1>')).toBe(true);
    expect(html).toContain('реч2999</p></main>');
    expect(html).not.toContain('\u0000');
  });

  it('leaves no timer running and ends the stream once when the page is done', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const end = vi.spyOn(Writable.prototype, 'end');
    await renderWhole(<Page words={10} />, { abortAfterMs: 5_000, onError: () => {} });
    await nextTurns();
    expect(vi.getTimerCount()).toBe(0);
    expect(end).toHaveBeenCalledTimes(1);
  });

  it('rejects when the shell cannot be rendered, and leaves no timer running', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    function Broken(): never {
      throw new Error('no shell');
    }
    const errors: boolean[] = [];
    await expect(renderWhole(<Broken />, { abortAfterMs: 5_000, onError: (_e, afterShell) => errors.push(afterShell) })).rejects.toThrow('no shell');
    expect(errors).toEqual([false]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
