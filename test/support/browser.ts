import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/**
 * Follows a link in an email as a person does: the sandbox's SES inbox, the email found by its
 * subject, its HTML view opened and the link clicked there. The inbox opens an email's links
 * outside its frame, in a new tab (the pages behind them refuse to be framed): that tab is returned, loaded.
 */
export const followEmailLink = async (inbox: Page, sesUrl: string, subject: string, linkText: string): Promise<Page> => {
  if (!inbox.url().startsWith(sesUrl)) await inbox.goto(sesUrl);
  const email = inbox.locator('.email', { hasText: subject }).first();
  const frame = email.locator('.email-html');
  if (!(await frame.isVisible())) await email.locator('button', { hasText: 'Toggle HTML view' }).click();
  const [opened] = await Promise.all([inbox.context().waitForEvent('page'), email.frameLocator('iframe').locator('a', { hasText: linkText }).first().click()]);
  await opened.waitForLoadState('load');
  return opened;
};

/**
 * axe-core's WCAG 2.2 A and AA rules (with those of the earlier versions it carries), and its best
 * practices: those hold the landmark rules (one <main>, all content in landmarks) the pages lacked.
 */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations (WCAG 2.2 A/AA and best practices) on the page as it stands: each rule with the elements that
 * break it. axe is injected as a script, which the pages' CSP forbids: run it in a context opened
 * with `bypassCSP: true`, for these checks only. Injected once per window: compiling axe costs a
 * few hundred milliseconds, and a window whose content was set again (axeViolationsOfMarkup) keeps it.
 */
export const axeViolations = async (page: Page): Promise<string[]> => {
  if (!(await page.evaluate(() => typeof (globalThis as any).axe?.run === 'function'))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(
    // The page's own axe, untyped here: the project compiles without the DOM library.
    async (tags: string[]) =>
      (
        (await (globalThis as any).axe.run((globalThis as any).document, { runOnly: { type: 'tag', values: tags } })) as {
          violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown[] }> }>;
        }
      ).violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    AXE_TAGS,
  );
  return violations;
};

/**
 * axe-core's violations on markup a page showed under its CSP (page.content()), set into `axePage`
 * (of a context opened with `bypassCSP: true`) at an address of the same origin (`at`), so that
 * its stylesheet and scripts load from where they did. Setting the content keeps the page's
 * address, so `axePage` is navigated only when the origin changes: one navigation per origin, not
 * one per check.
 */
export const axeViolationsOfMarkup = async (axePage: Page, at: string, markup: string): Promise<string[]> => {
  if (new URL(axePage.url()).origin !== new URL(at).origin) await axePage.goto(at);
  await axePage.setContent(markup, { waitUntil: 'load' });
  return axeViolations(axePage);
};
