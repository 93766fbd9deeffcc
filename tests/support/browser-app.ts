// What each browser test file starts from: the built app on a fresh database with the demo
// tenants, the test process's Chromium beside it, and — for a file whose tests run the jobs
// themselves, as the in-process runner would — the folder the emails are written to.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import pino from 'pino';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createMailer } from '#jobs/email/transport';
import { drainOutbox } from '#jobs/inline';
import { DEMO_PASSWORD } from '#tenants/demo';
import { closeContexts, sharedBrowser } from './browser';
import { startApp, type RunningApp } from './server';

type JobContext = Parameters<typeof drainOutbox>[0];

export interface BrowserApp {
  readonly app: RunningApp;
  readonly browser: Browser;
  /** The emails' folder (only with `mail`). */
  readonly mailDir: string;
  /** What the in-process runner is given: this app's database and a mailer writing to the folder (only with `mail`). */
  jobContext(): JobContext;
  /** What the in-process runner does every few seconds, done now (only with `mail`). */
  runJobs(): ReturnType<typeof drainOutbox>;
  /** Fills and sends the sign-in form on a page of its own: what follows is the caller's to wait for. */
  submitSignIn(page: Page, email: string, password?: string): Promise<void>;
}

/**
 * Starts the app (and, for the first file of a test process, Chromium) before the file's tests;
 * after them stops the app and closes the file's browser contexts. `mail`: the app keeps
 * its emails in a folder (the development mailbox on) and leaves the jobs to the test.
 */
export function browserApp(env: Record<string, string> = {}, { mail = false } = {}): BrowserApp {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let mailDir: string | undefined;
  beforeAll(async () => {
    if (mail) mailDir = await mkdtemp(join(tmpdir(), 'delovod-e2e-mail-'));
    const mailEnv: Record<string, string> = mailDir ? { MAIL_DIR: mailDir, DEV_MAILBOX: '1', REDIS_URL: '', SMTP_URL: '' } : {};
    [app, browser] = await Promise.all([startApp({ ...mailEnv, ...env }), sharedBrowser()]);
  });
  // A failed test leaves its pages open: say where each one was and what it showed, so that a
  // failure (in CI above all) can be read without running the test again.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail' || !browser) return;
    for (const page of browser.contexts().flatMap((c) => c.pages())) {
      const text = await page.locator('body').innerText({ timeout: 2000 }).catch((error: unknown) => `(no text: ${String(error)})`);
      console.error(`A page open when "${task.name}" failed: ${page.url()}\n${text.slice(0, 2000)}`);
    }
  });
  afterAll(async () => {
    if (browser) await closeContexts(browser);
    await app?.stop();
    if (mailDir) await rm(mailDir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not there: browserApp() starts it in beforeAll${what === 'the mail folder' ? ', with { mail: true }' : ''}`);
    return value;
  };
  return {
    get app() {
      return started(app, 'the app');
    },
    get browser() {
      return started(browser, 'Chromium');
    },
    get mailDir() {
      return started(mailDir, 'the mail folder');
    },
    jobContext() {
      return { db: this.app.app.db, mailer: createMailer({ mailDir: this.mailDir, from: 'test@delovod.test' }), log: pino({ level: 'silent' }), now: () => new Date() };
    },
    runJobs() {
      return drainOutbox(this.jobContext());
    },
    async submitSignIn(page, email, password = DEMO_PASSWORD) {
      await page.goto(`${this.app.url}/login`);
      await page.getByLabel('Адреса е-поште').fill(email);
      await page.getByLabel('Лозинка').fill(password);
      await page.getByRole('button', { name: 'Пријави се' }).click();
    },
  };
}
