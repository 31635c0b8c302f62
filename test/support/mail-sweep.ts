import { parseHTML } from 'linkedom';
import type { SentEmail } from '../../infra/local/ses-local';

/**
 * A mail scanner's sweep over every email a sandbox sent, run as each test file's sandbox stops
 * (test/support/sandbox.ts), so that every link of every email the suite sends is opened and every
 * form behind it submitted as a scanner would: as served, as a browser's autofill fills it, and
 * filled by field type (any text, each date field its own min and then its max, the first option,
 * the first radio, every checkbox), each time past the browser's own checks. A scanner cannot know
 * the case reference a person types, so every submission must be refused (4xx): a 2xx or 3xx is
 * a link that acted for a scanner. Over HTTP rather than in a browser, to stay cheap across the
 * whole suite; test/browser/mail-scanner.test.ts is the same scanner in Chromium, at every link kind.
 */
export interface SweepResult {
  emails: number;
  /** Emails left out by a sample (`emailsPerSubject`): more of a kind already swept. */
  unswept: number;
  links: number;
  submissions: number;
  /** Each submission a scanner made that was not refused. */
  acted: Array<{ link: string; fill: string; status: number }>;
}

type Fill = 'as served' | 'autofill' | 'by type, dates at min' | 'by type, dates at max';
const FILLS: Fill[] = ['as served', 'autofill', 'by type, dates at min', 'by type, dates at max'];

const linksOf = (email: SentEmail): string[] => {
  const body = email.request.Content?.Simple?.Body ?? {};
  const text = String(body.Text?.Data ?? '').match(/https?:\/\/[^\s<>"]+/g) ?? [];
  const html = [...String(body.Html?.Data ?? '').matchAll(/href="(https?:[^"]+)"/g)].map((m) => (m[1] as string).replaceAll('&amp;', '&'));
  return [...text, ...html];
};

/** The fields a browser would send for this form, filled as `fill` says. */
// linkedom's DOM, untyped here: the project compiles without the DOM library.
const fieldsOf = (form: any, fill: Fill, heading: string): URLSearchParams => {
  const body = new URLSearchParams();
  const radios = new Set<string>();
  for (const field of form.querySelectorAll('input, textarea, select')) {
    const name = field.getAttribute('name');
    if (!name) continue;
    const tag = field.tagName.toLowerCase();
    const type = (field.getAttribute('type') ?? (tag === 'input' ? 'text' : tag)).toLowerCase();
    const served = tag === 'textarea' ? String(field.textContent ?? '') : (field.getAttribute('value') ?? '');
    if (type === 'submit' || type === 'button') continue;
    if (type === 'hidden' || fill === 'as served') {
      if ((type === 'radio' || type === 'checkbox') && !field.hasAttribute('checked')) continue;
      if (tag === 'select') {
        const selected = field.querySelector('option[selected]') ?? field.querySelector('option');
        body.append(name, selected?.getAttribute('value') ?? '');
        continue;
      }
      body.append(name, served);
      continue;
    }
    if (fill === 'autofill') {
      if (type === 'radio' || type === 'checkbox') continue;
      body.append(name, field.getAttribute('autocomplete') === 'name' ? 'Alex Morgan' : served);
      continue;
    }
    if (type === 'radio') {
      if (!radios.has(name)) body.append(name, field.getAttribute('value') ?? 'on');
      radios.add(name);
    } else if (type === 'checkbox') body.append(name, field.getAttribute('value') ?? 'on');
    else if (tag === 'select') body.append(name, field.querySelector('option')?.getAttribute('value') ?? '');
    else if (type === 'date') body.append(name, (fill === 'by type, dates at max' ? field.getAttribute('max') : field.getAttribute('min')) ?? '');
    else if (type === 'number') body.append(name, (fill === 'by type, dates at max' ? field.getAttribute('max') : field.getAttribute('min')) ?? '1');
    else body.append(name, fill === 'by type, dates at max' ? heading : 'test');
  }
  return body;
};

const SWEEP_CONCURRENCY = 4;

const scanLink = async (link: string, result: SweepResult): Promise<void> => {
  result.links++;
  const opened = await fetch(link, { redirect: 'manual' });
  const { document: page } = parseHTML(await opened.text());
  const heading = String(page.querySelector('h1')?.textContent ?? '').trim();
  for (const form of page.querySelectorAll('form')) {
    if ((form.getAttribute('method') ?? 'get').toLowerCase() !== 'post') continue;
    const action = new URL(form.getAttribute('action') ?? '', link).href;
    for (const fill of FILLS) {
      const response = await fetch(action, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: fieldsOf(form, fill, heading).toString(),
      });
      await response.arrayBuffer();
      result.submissions++;
      if (response.status < 400) result.acted.push({ link, fill, status: response.status });
    }
  }
};

/** An email's subject with its case reference taken out: what kind of email it is. */
const subjectKind = (email: SentEmail) => String(email.request.Content?.Simple?.Subject?.Data ?? '').replace(/SUS-[0-9A-Z]{5}-\d{4}-\d+/g, '{reference}');

/**
 * `emailsPerSubject` sweeps only the first emails of each kind: for a file whose hundreds of cases
 * are filed alike and left in one state, where the rest would open the same links of the same pages.
 */
export const sweepEmails = async (emails: readonly SentEmail[], ownOrigin: string, { emailsPerSubject = Infinity } = {}): Promise<SweepResult> => {
  const seen = new Map<string, number>();
  const swept = emails.filter((email) => {
    const kind = subjectKind(email);
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
    return (seen.get(kind) as number) <= emailsPerSubject;
  });
  const result: SweepResult = { emails: swept.length, unswept: emails.length - swept.length, links: 0, submissions: 0, acted: [] };
  // Only the product's own links (an email may name other sites); each once.
  const links = [...new Set(swept.flatMap(linksOf))].filter((link) => link.startsWith(ownOrigin));
  // Four links at a time: the sandbox's functions wait on DynamoDB Local most of the time.
  const queue = [...links];
  const scan = async () => {
    for (let link = queue.shift(); link; link = queue.shift()) await scanLink(link, result);
  };
  await Promise.all(Array.from({ length: SWEEP_CONCURRENCY }, scan));
  return result;
};
