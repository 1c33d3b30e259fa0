/**
 * A real headless browser for tests: the system's Chromium (`/usr/bin/chromium`, which `pretest` installs
 * when missing) driven by playwright-core, with a fresh profile that is removed on close. Nothing is
 * downloaded: playwright-core brings no browser of its own.
 */
import { access } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from './training.js';

/** The Chromium the tests drive; `CHROMIUM_BIN` overrides it. */
export const CHROMIUM_PATH = process.env['CHROMIUM_BIN'] ?? '/usr/bin/chromium';

/**
 * Chromium's flags. Why each: `--no-sandbox` (containers and root have no user namespaces), `--disable-gpu`
 * (no display), and the rest keep a test browser from calling home or updating itself (the machine may
 * have no network, and a stray request would slow or change a test).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

/** A launched browser: one context (a fresh profile) to open pages in. */
export interface TestBrowser {
  context: BrowserContext;
  /** Opens a new page; what it logs to its console is kept in {@link TestBrowser.console}. */
  newPage: () => Promise<Page>;
  /** Console lines of every page, as `type: text`, to show when a test fails. */
  console: string[];
  /** Closes the browser and removes its profile. */
  close: () => Promise<void>;
}

/**
 * Launches headless Chromium with a fresh `--user-data-dir`.
 *
 * @throws When Chromium is not at {@link CHROMIUM_PATH} (run `npm test`'s pretest, or set CHROMIUM_BIN).
 */
export async function launchBrowser(): Promise<TestBrowser> {
  await access(CHROMIUM_PATH).catch(() => {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: run "bash test/helpers/ensure-chromium.sh" or set CHROMIUM_BIN`,
    );
  });
  const profile = await tempDir('chromium-profile');
  let browser: Browser | undefined;
  let context: BrowserContext;
  try {
    // A persistent context is how playwright takes a user-data-dir; its browser() closes with it.
    context = await chromium.launchPersistentContext(profile.path, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
    browser = context.browser() ?? undefined;
  } catch (err) {
    await profile.remove();
    throw err;
  }
  const lines: string[] = [];
  return {
    context,
    console: lines,
    newPage: async () => {
      const page = await context.newPage();
      page.on('console', (m) => lines.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => lines.push(`pageerror: ${e.message}`));
      return page;
    },
    close: async () => {
      await context.close().catch(() => undefined);
      await browser?.close().catch(() => undefined);
      await profile.remove();
    },
  };
}
