// Starts a real headless Chromium for browser tests. The browser is CHROME_PATH when set, else the one shipped
// inside the @sparticuz/chromium npm package (no download, no apt). If neither starts, this throws: browser tests
// fail loudly, they never skip.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium as playwrightChromium, type BrowserContext } from 'playwright-core';

/** Flags for a quiet, deterministic headless run in a container (no sandbox: tests may run as root). */
const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface LaunchedBrowser {
  context: BrowserContext;
  /** Which executable runs, for failure messages. */
  executablePath: string;
  close(): Promise<void>;
}

interface BrowserChoice {
  executablePath: string;
  extraArgs: string[];
}

async function chooseBrowser(): Promise<BrowserChoice> {
  const fromEnv = process.env.CHROME_PATH?.trim();
  if (fromEnv) return { executablePath: fromEnv, extraArgs: [] };
  const { default: sparticuz } = await import('@sparticuz/chromium');
  // Its binary is a headless shell; Playwright adds its own headless flag, and user data comes from
  // launchPersistentContext (Playwright rejects --user-data-dir in args).
  const extraArgs = sparticuz.args.filter((arg) => !arg.startsWith('--headless'));
  return { executablePath: await sparticuz.executablePath(), extraArgs };
}

export async function launchBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<LaunchedBrowser> {
  let choice: BrowserChoice | undefined;
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'netpol-dashboard-browser-'));
  try {
    choice = await chooseBrowser();
    const context = await playwrightChromium.launchPersistentContext(userDataDir, {
      executablePath: choice.executablePath,
      headless: true,
      args: [...new Set([...BASE_FLAGS, ...choice.extraArgs])],
      viewport: options.viewport ?? { width: 1280, height: 900 },
      timeout: 60_000,
      // Downloads (the dashboard's authenticated file links) are kept so a test can read what was saved.
      acceptDownloads: true,
    });
    return {
      context,
      executablePath: choice.executablePath,
      async close() {
        await context.close().catch(() => undefined);
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (cause) {
    await rm(userDataDir, { recursive: true, force: true });
    const which = choice?.executablePath ?? (process.env.CHROME_PATH ? `CHROME_PATH=${process.env.CHROME_PATH}` : '@sparticuz/chromium');
    throw new Error(
      `No browser could be started (${which}). Set CHROME_PATH to a Chromium/Chrome binary, or reinstall ` +
        `@sparticuz/chromium. Cause: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}
