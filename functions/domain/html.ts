import { htmlEscape } from 'escape-goat';

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

/** User text as paragraphs, keeping the line breaks the writer typed. */
export const paragraphs = (text: string): SafeHtml =>
  new SafeHtml(
    text
      .split(/\n{2,}/)
      .map((p) => `<p>${htmlEscape(p).replaceAll('\n', '<br>')}</p>`)
      .join(''),
  );

/** A form field's corrections, beside the field (pointers as in problem details). */
export const fieldError = (errors: ReadonlyArray<{ pointer: string; detail: string }>, ...pointers: string[]): SafeHtml => {
  const found = errors.filter((e) => pointers.includes(e.pointer));
  return found.length ? html`<span class="bad" role="alert"> ${found.map((e) => html`${e.detail} `)}</span>` : html``;
};

const STYLE = `body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}
h1{font-size:1.4rem}dt{font-weight:600;margin-top:.6rem}dd{margin:0}textarea{width:100%;min-height:8rem}
button{font-size:1rem;padding:.5rem 1rem}input[type=text]{width:100%;max-width:28rem;font-size:1rem;padding:.3rem}.notice{padding:.75rem 1rem;border-left:4px solid #b58105;background:#fff8e1}
.ok{border-color:#2e7d32;background:#e8f5e9}.bad{border-color:#c62828;background:#ffebee}`;

/** A complete page: used for the SSC's confirmation and result pages and for HTML email bodies. */
export const page = (title: string, body: SafeHtml): string =>
  html`<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer"><title>${title}</title><style>${new SafeHtml(STYLE)}</style></head><body>${body}</body></html>`
    .value;
