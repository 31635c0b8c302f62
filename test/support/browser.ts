import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, type Page, chromium } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (no browser download: `npm test` installs the
 * package where it is missing, infra/local/ensure-dependencies.mjs). The flags keep a headless Chromium from reaching for Google's
 * services on a closed network.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const launchBrowser = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
};

/** Screenshots are test artifacts, never part of the repository. */
export const ARTIFACTS = new URL('../../test-artifacts/screenshots/', import.meta.url).pathname;

export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
};

/** What the page reported as broken: script errors, and failed loads other than a favicon. */
export const pageProblems = (page: Page): string[] => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`script: ${e.message}`));
  page.on('console', (m) => {
    const at = m.location().url;
    if (m.type() === 'error' && !`${m.text()} ${at}`.includes('favicon')) problems.push(`console: ${m.text()} (${at})`);
  });
  page.on('requestfailed', (r) => problems.push(`request: ${r.url()} ${r.failure()?.errorText}`));
  return problems;
};
