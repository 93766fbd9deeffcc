// Debian's Chromium driven by playwright-core; never a downloaded browser.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags the project runs it with (README). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

let shared: Promise<Browser> | undefined;

/**
 * One Chromium per test process, shared by the browser test files that run in it one after
 * another (the e2e layer shares its processes): a launch costs about 0.7 s of CPU. Each file
 * works in contexts of its own, and closes them (closeContexts) when it ends.
 */
export function sharedBrowser(): Promise<Browser> {
  shared ??= launchChromium().then(
    (browser) => {
      browser.once('disconnected', () => (shared = undefined));
      return browser;
    },
    (error: unknown) => {
      // A launch that failed is tried again by the next file.
      shared = undefined;
      throw error;
    },
  );
  return shared;
}

/** Closes every context a file left open, so the next file starts from a browser with none. */
export async function closeContexts(browser: Browser): Promise<void> {
  await Promise.all(browser.contexts().map((c) => c.close()));
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** WCAG 2.1 A/AA violations on the current page, as axe-core reports them. */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated by the browser's debugger, which the page's Content-Security-Policy does not govern;
  // a <script> added to the page (addScriptTag) would be refused by it, as an attacker's is.
  await page.evaluate(`${axeSource}\n;undefined`);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}
