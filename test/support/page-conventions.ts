import { parseHTML } from 'linkedom';

/**
 * What the GOV.UK Design System's conventions require of a page for a person, checked on its
 * markup (axe-core checks the rendered page in the browser tests): every break of a convention,
 * in words; none for a page that keeps them all.
 */
export const conventionBreaks = (markup: string, options: { failed?: boolean } = {}): string[] => {
  const { document } = parseHTML(markup);
  const breaks: string[] = [];
  const check = (ok: unknown, what: string) => {
    if (!ok) breaks.push(what);
  };
  const mains = document.querySelectorAll('main');
  check(mains.length === 1 && mains[0]?.id === 'main-content', 'one <main id="main-content">');
  const skip = document.body.firstElementChild;
  check(skip?.tagName === 'A' && skip.getAttribute('href') === '#main-content' && skip.classList.contains('govuk-skip-link'), 'a skip link first in the body');
  check(document.documentElement.getAttribute('lang') === 'en-GB', 'lang="en-GB"');
  const title = document.querySelector('title')?.textContent ?? '';
  check(options.failed ? title.startsWith('Error: ') : !title.startsWith('Error'), options.failed ? '"Error: " before the title' : 'no "Error" in the title');
  check(document.querySelectorAll('h1').length === 1, 'one <h1>');

  const summary = document.querySelector('.govuk-error-summary');
  if (options.failed) {
    check(summary && mains[0]?.firstElementChild === summary, 'the error summary first in <main>');
    check(
      summary?.querySelector('[role="alert"]') && summary.hasAttribute('autofocus') && summary.getAttribute('tabindex') === '-1',
      'the error summary announced and focused',
    );
    const links = [...(summary?.querySelectorAll('a') ?? [])];
    check(links.length > 0, 'the error summary links to the fields');
    for (const link of links) {
      const id = (link.getAttribute('href') ?? '').replace(/^#/, '');
      const field = document.getElementById(id);
      check(field && /^(INPUT|TEXTAREA)$/.test(field.tagName), `the summary's link #${id} leads to a field`);
      check(field?.getAttribute('aria-invalid') === 'true', `#${id} is marked aria-invalid`);
      const group = field?.closest('.govuk-form-group--error');
      const message = group?.querySelector('.govuk-error-message');
      check(message?.textContent?.includes(link.textContent ?? '\u0000'), `#${id}'s error message says what the summary says`);
      check(message?.querySelector('.govuk-visually-hidden')?.textContent === 'Error:', `#${id}'s error message starts "Error:" for screen readers`);
      const describer = field?.closest('fieldset') ?? field;
      check(
        (describer?.getAttribute('aria-describedby') ?? '').split(' ').includes(message?.id ?? '\u0000'),
        `#${id} (or its fieldset) is described by its error`,
      );
    }
  } else check(!summary, 'no error summary on a page as served');

  for (const field of document.querySelectorAll('input:not([type="hidden"]), textarea')) {
    const id = field.id;
    check(id && document.querySelector(`label[for="${id}"]`), `field ${field.getAttribute('name')} has a label`);
    check(field.getAttribute('type') !== 'date', `field ${id} is not a browser date picker`);
    // A field in a fieldset (radios, a date's parts) is described through its fieldset, as GOV.UK's macros do.
    const fieldset = field.closest('fieldset');
    const describer = fieldset ?? field;
    const hint = fieldset ? fieldset.querySelector(':scope > .govuk-hint') : document.getElementById(`${id}-hint`);
    if (hint) check((describer.getAttribute('aria-describedby') ?? '').split(' ').includes(hint.id), `field ${id} is described by its hint`);
    const wrong = field.closest('.govuk-form-group--error') !== null && field.getAttribute('aria-invalid') === 'true';
    if (field.getAttribute('aria-invalid') === 'true') check(wrong, `field ${id} is marked invalid only inside a group in error`);
  }

  // Dates and times in words: no ISO date or instant in what a person reads (a <time> keeps one in its attribute).
  // Each element's text apart from its neighbours': textContent would run one table cell into the next, hiding a name between them.
  type TextNode = { nodeType: number; textContent: string | null; childNodes: ArrayLike<TextNode> };
  const textOf = (node: TextNode): string =>
    node.nodeType === 3 ? (node.textContent ?? '') : Array.from(node.childNodes, textOf).join(node.nodeType === 1 ? ' ' : '');
  const main = document.querySelector('main');
  const text = main ? textOf(main as unknown as TextNode) : '';
  const iso = text.match(/\b\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?\b/);
  check(!iso, `no ISO date in the text (found ${iso?.[0]})`);
  const enumName = text.match(
    /\b(DeferToAnnualReview|AdHocAssessment|MoreInformationNeeded|OutOfScope|ApprovedSubjectTo|Awaiting[A-Z]\w+|[A-Z][a-z]+[A-Z]\w*(Recorded|Overdue|Received|Sent|Taken|Confirmed))\b/,
  );
  check(!enumName, `no enum name in the text (found ${enumName?.[0]})`);
  return breaks;
};
