import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PurgeCSS } from 'purgecss';

/**
 * The GOV.UK Design System's style for the pages behind the emails' links and SECAS's console:
 * GOV.UK Frontend's compiled CSS (136 KB), cut by PurgeCSS to the selectors the pages' sources
 * name, as a dated data file the Lambdas inline (each serves only its own route, so it cannot
 * serve a stylesheet). Its @font-face rules go: the GDS Transport font is for GOV.UK's own
 * services, and the pages' CSP loads no font, so the text falls back to GOV.UK's next font, Arial.
 * `npm run update:page-style` regenerates it; a unit test fails when the file and the installed
 * package or the pages disagree.
 */
const require = createRequire(import.meta.url);
const frontend = require.resolve('govuk-frontend/dist/govuk/govuk-frontend.min.css');
const frontendVersion = (JSON.parse(readFileSync(require.resolve('govuk-frontend/package.json'), 'utf8')) as { version: string }).version;
const purgecssVersion = (JSON.parse(readFileSync(require.resolve('purgecss/package.json'), 'utf8')) as { version: string }).version;

export const STYLE_FILE = new URL('../../functions/domain/data/govuk-frontend-subset.json', import.meta.url);

/** The sources whose markup the style serves. */
const SOURCES = [
  'functions/domain/html.ts',
  'functions/domain/person.ts',
  'functions/domain/decision-pages.ts',
  'functions/domain/assessment-pages.ts',
  'functions/domain/error-pages.ts',
  'functions/domain/case-file-page.ts',
  'infra/local/console/pages.ts',
  'infra/local/console/user-pages.ts',
].map((path) => new URL(`../../${path}`, import.meta.url));

export const pageStyleData = async () => {
  const [result] = await new PurgeCSS().purge({
    content: SOURCES.map((url) => ({ raw: readFileSync(url, 'utf8'), extension: 'html' })),
    css: [{ raw: readFileSync(frontend, 'utf8') }],
    keyframes: true,
  });
  const css = (result?.css ?? '').replace(/@font-face\{[^}]*\}/g, '');
  if (/url\(/.test(css)) throw new Error('the cut style still loads a resource (url(…)), which the pages’ CSP refuses');
  return {
    description: "GOV.UK Frontend's CSS, cut to the selectors the pages and the console use, without its fonts (npm run update:page-style).",
    source: `govuk-frontend ${frontendVersion} dist/govuk/govuk-frontend.min.css, purgecss ${purgecssVersion}`,
    css,
  };
};

if (process.argv[1]?.endsWith('page-style.ts')) {
  writeFileSync(STYLE_FILE, `${JSON.stringify(await pageStyleData(), null, 2)}\n`);
  process.stdout.write(`wrote ${STYLE_FILE.pathname}\n`);
}
