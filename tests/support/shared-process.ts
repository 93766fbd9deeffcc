// Setup of the layers whose files share a worker process (vitest.config.ts, `isolate: false`):
// a file that changes the process's environment would leak into the files after it, and env()
// reads it once, so the change might not even take. Such a file belongs in its layer's
// `:isolated` project; this fails the file that forgot, instead of a later one, mysteriously.
import { afterAll, beforeAll, expect } from 'vitest';

let before: Record<string, string | undefined>;

beforeAll(() => {
  before = { ...process.env };
});

afterAll(() => {
  expect({ ...process.env }, 'this file changed process.env: list it in its layer’s ownProcess (vitest.config.ts)').toEqual(before);
});
