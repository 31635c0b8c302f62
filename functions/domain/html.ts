import { htmlEscape } from 'escape-goat';
import pageStyle from './data/govuk-frontend-subset.json' with { type: 'json' };

/**
 * HTML that is already safe to emit. The `html` tag escapes every interpolated value except
 * SafeHtml, so fragments compose without double escaping and no caller can forget to escape
 * user-supplied text (escape-goat does the escaping; this only adds composition).
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = string | number | SafeHtml | ReadonlyArray<SafeHtml> | undefined | null;

const render = (value: Interpolation): string => {
  if (value === undefined || value === null) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((v: SafeHtml) => v.value).join('');
  return htmlEscape(String(value));
};

export const html = (strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml =>
  new SafeHtml(strings.reduce((out, chunk, i) => out + chunk + (i < values.length ? render(values[i]) : ''), ''));

const asParagraphs = (text: string, open: string): SafeHtml =>
  new SafeHtml(
    text
      .split(/\n{2,}/)
      .map((p) => `${open}${htmlEscape(p).replaceAll('\n', '<br>')}</p>`)
      .join(''),
  );

/** User text as paragraphs, keeping the line breaks the writer typed. */
export const paragraphs = (text: string): SafeHtml => asParagraphs(text, '<p>');

/** The same, in GOV.UK's body text. */
export const bodyParagraphs = (text: string): SafeHtml => asParagraphs(text, '<p class="govuk-body">');

const EMAIL_STYLE = `body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}
h1{font-size:1.4rem}dt{font-weight:600;margin-top:.6rem}dd{margin:0}.notice{padding:.75rem 1rem;border-left:4px solid #b58105;background:#fff8e1}
.bad{border-color:#c62828;background:#ffebee}`;

/** An HTML email body: mail clients keep little CSS, so a few inline rules, no more. */
export const emailDocument = (title: string, body: SafeHtml): string =>
  html`<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${new SafeHtml(EMAIL_STYLE)}</style></head><body>${body}</body></html>`
    .value;

/**
 * A page for a person behind an emailed link, in the GOV.UK Design System's template: a skip
 * link, the content in `<main>`, "Error: " before the title when a submitted form is shown again
 * to be corrected. Its style is GOV.UK Frontend's own CSS, cut to the classes these pages use
 * (`npm run update:page-style`), inline: each Lambda serves only its own route, so no stylesheet
 * can be fetched, and the pages' CSP allows inline style but no script. `style` adds a page's own rules (the case file's print style).
 */
export const page = (title: string, body: SafeHtml, options: { failed?: boolean; style?: string } = {}): string =>
  html`<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer"><title>${options.failed ? 'Error: ' : ''}${title}</title><style>${new SafeHtml(`${pageStyle.css}${options.style ? `\n${options.style}` : ''}`)}</style></head><body class="govuk-template__body"><a href="#main-content" class="govuk-skip-link">Skip to main content</a><div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">${body}</main></div></body></html>`
    .value;

// --- GOV.UK Design System form patterns ---------------------------------------------------------

/** Where a correction (a JSON pointer, as in problem details) is shown and linked to: the field's id, and the part of a date. */
export interface Correction {
  pointer: string;
  detail: string;
  /** For a date typed as day, month and year: the parts that are wrong (all when none is named). */
  parts?: ReadonlyArray<DatePart>;
}
export type DatePart = 'day' | 'month' | 'year';
const DATE_PARTS: readonly DatePart[] = ['day', 'month', 'year'];

/** The corrections at a field's pointer. */
const at = (corrections: ReadonlyArray<Correction>, pointer: string) => corrections.filter((c) => c.pointer === pointer);

/**
 * The error summary at the top of a form shown again to be corrected: focused when the page
 * loads (autofocus: there is no script), each correction a link to its field (to the first part
 * of a date that is wrong).
 */
export const errorSummary = (corrections: ReadonlyArray<Correction>, fieldIds: Readonly<Record<string, string>>): SafeHtml => {
  if (!corrections.length) return html``;
  const anchor = (c: Correction) => {
    const id = fieldIds[c.pointer];
    if (!id) return undefined;
    return c.parts ? `${id}-${DATE_PARTS.find((p) => c.parts?.includes(p)) ?? 'day'}` : id;
  };
  return html`<div class="govuk-error-summary" tabindex="-1" autofocus><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">${corrections.map(
    (c) => {
      const id = anchor(c);
      return id ? html`<li><a href="#${id}">${c.detail}</a></li>` : html`<li>${c.detail}</li>`;
    },
  )}</ul></div></div></div>`;
};

interface FieldText {
  id: string;
  label: string;
  hint?: SafeHtml | string | undefined;
  pointer: string;
  corrections: ReadonlyArray<Correction>;
}

/** The hint and error message of a field, and what its control carries to point at them. */
const described = ({ id, hint, pointer, corrections }: FieldText) => {
  const errors = at(corrections, pointer);
  const ids = [hint ? `${id}-hint` : '', errors.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    wrong: errors.length > 0,
    hint: hint ? html`<div id="${id}-hint" class="govuk-hint">${hint}</div>` : html``,
    error: errors.length
      ? html`<p id="${id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${errors.map((e, i) => html`${i ? ' ' : ''}${e.detail}`)}</p>`
      : html``,
    aria: new SafeHtml(`${ids ? ` aria-describedby="${ids}"` : ''}${errors.length ? ' aria-invalid="true"' : ''}`),
  };
};

const group = (wrong: boolean, inner: SafeHtml) => html`<div class="govuk-form-group${wrong ? ' govuk-form-group--error' : ''}">${inner}</div>`;

/** A one-line text field. `attributes` are trusted markup (required, autocomplete …). */
export const textField = (f: FieldText & { name: string; value: string | undefined; attributes?: string; width?: string }): SafeHtml => {
  const d = described(f);
  return group(
    d.wrong,
    html`<label class="govuk-label govuk-label--s" for="${f.id}">${f.label}</label>${d.hint}${d.error}<input type="text" id="${f.id}" name="${f.name}" value="${f.value ?? ''}" class="govuk-input${f.width ? ` ${f.width}` : ''}${d.wrong ? ' govuk-input--error' : ''}"${d.aria}${new SafeHtml(f.attributes ? ` ${f.attributes}` : '')}>`,
  );
};

export const textArea = (f: FieldText & { name: string; value: string | undefined; required?: boolean }): SafeHtml => {
  const d = described(f);
  return group(
    d.wrong,
    html`<label class="govuk-label govuk-label--s" for="${f.id}">${f.label}</label>${d.hint}${d.error}<textarea id="${f.id}" name="${f.name}" class="govuk-textarea${d.wrong ? ' govuk-textarea--error' : ''}" rows="8"${d.aria}${f.required ? html` required` : html``}>${f.value ?? ''}</textarea>`,
  );
};

/** Radios in a fieldset, none checked unless the person checked one. */
export const radios = (f: FieldText & { name: string; value: string | undefined; options: ReadonlyArray<[string, string]> }): SafeHtml => {
  const d = described(f);
  return group(
    d.wrong,
    html`<fieldset class="govuk-fieldset"${new SafeHtml(d.aria.value.replace(' aria-invalid="true"', ''))}><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${f.label}</legend>${d.hint}${d.error}<div class="govuk-radios">${f.options.map(
      ([value, label], i) => {
        const id = i === 0 ? f.id : `${f.id}-${i + 1}`;
        return html`<div class="govuk-radios__item"><input type="radio" id="${id}" name="${f.name}" value="${value}" class="govuk-radios__input"${f.value === value ? html` checked` : html``}${d.wrong ? html` aria-invalid="true"` : html``} required><label class="govuk-label govuk-radios__label" for="${id}">${label}</label></div>`;
      },
    )}</div></fieldset>`,
  );
};

/** A date typed as day, month and year (GOV.UK's date input), each part marked when it is the one that is wrong. */
export const dateField = (f: FieldText & { name: string; value: Partial<Record<DatePart, string>> }): SafeHtml => {
  const d = described(f);
  const errors = at(f.corrections, f.pointer);
  const partWrong = (part: DatePart) => errors.some((e) => !e.parts || e.parts.includes(part));
  const input = (part: DatePart, label: string, width: string) => {
    const wrong = partWrong(part);
    return html`<div class="govuk-date-input__item"><div class="govuk-form-group"><label class="govuk-label govuk-date-input__label" for="${f.id}-${part}">${label}</label><input type="text" id="${f.id}-${part}" name="${f.name}-${part}" value="${f.value[part] ?? ''}" class="govuk-input govuk-date-input__input ${width}${wrong ? ' govuk-input--error' : ''}" inputmode="numeric"${wrong ? html` aria-invalid="true"` : html``} required></div></div>`;
  };
  return group(
    d.wrong,
    html`<fieldset class="govuk-fieldset" role="group"${new SafeHtml(d.aria.value.replace(' aria-invalid="true"', ''))}><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${f.label}</legend>${d.hint}${d.error}<div class="govuk-date-input" id="${f.id}">${input('day', 'Day', 'govuk-input--width-2')}${input('month', 'Month', 'govuk-input--width-2')}${input('year', 'Year', 'govuk-input--width-4')}</div></fieldset>`,
  );
};

/** A summary list (GOV.UK's key and value rows). */
export const summaryList = (rows: ReadonlyArray<readonly [string, SafeHtml | string]>): SafeHtml =>
  html`<dl class="govuk-summary-list">${rows.map(
    ([key, value]) =>
      html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`,
  )}</dl>`;
