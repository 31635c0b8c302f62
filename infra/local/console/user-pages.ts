import type * as z from 'zod';
import { type Correction, type SafeHtml, errorSummary, html, summaryList, textArea, textField } from '../../../functions/domain/html';
import type { ClientView } from '../../../functions/domain/sec-users';
import { timeInWords } from '../../../functions/domain/wording';
import { layout } from './pages';

/**
 * SECAS's pages for the register of SEC Users in the sandbox's console: the Users, a User's
 * details, keys and audit trail, and a form per change. The pages only show; every change is a
 * call to the API's own SECAS routes (console-server.ts), whose refusals come back as corrections.
 */
export type Client = z.infer<typeof ClientView>;

const statusTags = { active: 'govuk-tag--green', suspended: 'govuk-tag--yellow', offboarded: 'govuk-tag--grey', retired: 'govuk-tag--grey' } as const;
const tag = (status: keyof typeof statusTags) => html`<strong class="govuk-tag ${statusTags[status]}">${status}</strong>`;

const actionWords: Record<string, string> = {
  registered: 'Registered',
  'key-added': 'Key added',
  'key-retired': 'Key retired',
  suspended: 'Suspended',
  reinstated: 'Reinstated',
  offboarded: 'Offboarded',
};

const back = (href: string, text: string) => html`<p class="govuk-body"><a class="govuk-link" href="${href}">${text}</a></p>`;

export const usersPage = (clients: Client[]): string =>
  layout(
    'SEC Users — Second User System console',
    html`${back('/', 'All cases')}<h1 class="govuk-heading-l">SEC Users</h1>
<p class="govuk-body">The register of SEC Users' machine clients (and SECAS's own), as the API's <code>GET /clients</code> gives it. Each change goes through the API's SECAS routes, with the officer named.</p>
<p class="govuk-body"><a class="govuk-button" href="/users/new">Register a SEC User</a></p>
<table class="govuk-table"><caption class="govuk-table__caption govuk-visually-hidden">SEC Users</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Name</th><th scope="col" class="govuk-table__header">SEC Party</th><th scope="col" class="govuk-table__header">Kind</th><th scope="col" class="govuk-table__header">Status</th><th scope="col" class="govuk-table__header">Active keys</th><th scope="col" class="govuk-table__header">Last change</th></tr></thead><tbody class="govuk-table__body">
${clients.map(
  (c) =>
    html`<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/users/${c.clientId}">${c.name}</a></td><td class="govuk-table__cell">${c.secPartyId}</td><td class="govuk-table__cell">${c.kind}</td><td class="govuk-table__cell">${tag(c.status)}</td><td class="govuk-table__cell">${String(c.keys.filter((k) => k.status === 'active').length)}</td><td class="govuk-table__cell">${timeInWords(c.updatedAt)}</td></tr>`,
)}
</tbody></table>`,
  );

const cellOf = (content: SafeHtml | string) => html`<td class="govuk-table__cell">${content}</td>`;

export const userPage = (c: Client): string => {
  const active = c.keys.filter((k) => k.status === 'active');
  const changeable = c.status !== 'offboarded';
  return layout(
    `${c.name} — Second User System console`,
    html`${back('/users', 'All SEC Users')}<h1 class="govuk-heading-l">${c.name}</h1>
${summaryList([
  ['Status', tag(c.status)],
  ['Client id', c.clientId],
  ['SEC Party', c.secPartyId],
  ['Kind', c.kind],
  ['Contacts', html`${c.contacts.map((p, i) => html`${i ? html`<br>` : html``}${p.name} (${p.email})`)}`],
  ['Registered', timeInWords(c.createdAt)],
])}
${
  changeable
    ? html`<p class="govuk-body">${c.status === 'active' ? html`<a class="govuk-link" href="/users/${c.clientId}/suspend">Suspend</a>` : html`<a class="govuk-link" href="/users/${c.clientId}/reinstate">Reinstate</a>`} · <a class="govuk-link" href="/users/${c.clientId}/offboard">Offboard</a></p>`
    : html`<div class="govuk-inset-text">Offboarded: it can never authenticate again. Its cases stay, readable by SECAS.</div>`
}
<h2 class="govuk-heading-m">Keys</h2>
${c.keys.length ? html`` : html`<p class="govuk-body">No key yet: it cannot ask for a token until one is added.</p>`}
<table class="govuk-table"><caption class="govuk-table__caption govuk-visually-hidden">Keys</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Key id</th><th scope="col" class="govuk-table__header">Algorithm</th><th scope="col" class="govuk-table__header">Status</th><th scope="col" class="govuk-table__header">Added</th><th scope="col" class="govuk-table__header">Retired</th><th scope="col" class="govuk-table__header">Action</th></tr></thead><tbody class="govuk-table__body">
${c.keys.map(
  (k) =>
    html`<tr class="govuk-table__row">${cellOf(k.kid)}${cellOf(k.alg)}${cellOf(tag(k.status))}${cellOf(timeInWords(k.addedAt))}${cellOf(k.retiredAt ? timeInWords(k.retiredAt) : '—')}${cellOf(
      k.status === 'active' && changeable
        ? html`<a class="govuk-link" href="/users/${c.clientId}/keys/${k.kid}/retire">Retire<span class="govuk-visually-hidden"> key ${k.kid}</span></a>`
        : '—',
    )}</tr>`,
)}
</tbody></table>
${
  changeable && active.length < 2
    ? html`<p class="govuk-body"><a class="govuk-button" href="/users/${c.clientId}/keys/new">Add a public key</a></p>`
    : changeable
      ? html`<p class="govuk-body">Two keys are active: retire one before adding another.</p>`
      : html``
}
<h2 class="govuk-heading-m">Audit trail</h2>
<table class="govuk-table"><caption class="govuk-table__caption govuk-visually-hidden">Audit trail</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">When</th><th scope="col" class="govuk-table__header">What</th><th scope="col" class="govuk-table__header">Officer</th><th scope="col" class="govuk-table__header">Key</th><th scope="col" class="govuk-table__header">Reason</th></tr></thead><tbody class="govuk-table__body">
${c.audit.map(
  (a) =>
    html`<tr class="govuk-table__row">${cellOf(timeInWords(a.at))}${cellOf(actionWords[a.action] ?? a.action)}${cellOf(html`${a.officer}<br><span class="govuk-body-s app-muted">through ${a.by}</span>`)}${cellOf(a.kid ?? '—')}${cellOf(a.reason ?? '—')}</tr>`,
)}
</tbody></table>`,
  );
};

// ---- the forms -----------------------------------------------------------------------------------

/** What a form sends and shows again: the fields as typed. */
export type FormValues = Record<string, string>;

/** Each change's form: its fields (with the API's JSON pointer each answers to) and its words. */
export interface ChangeForm {
  title: string;
  button: string;
  /** GOV.UK's warning button, for what cannot be undone. */
  warning?: boolean;
  intro?: SafeHtml;
  fields: Array<{ name: string; pointer: string; label: string; hint?: string; kind: 'text' | 'textarea'; required?: boolean; autocomplete?: string }>;
}

const officerField = {
  name: 'officer',
  pointer: '/officer',
  label: 'Your full name',
  hint: 'Recorded in the audit trail as the SECAS officer who made this change.',
  kind: 'text',
  required: true,
  autocomplete: 'name',
} as const;
const reasonField = { name: 'reason', pointer: '/reason', label: 'Reason (optional)', hint: 'Recorded in the audit trail.', kind: 'text' } as const;

/** The register takes up to five contacts a User (the API's bound). */
export const CONTACT_ORDINALS = ['First', 'Second', 'Third', 'Fourth', 'Fifth'] as const;

export const forms = {
  register: {
    title: 'Register a SEC User',
    button: 'Register',
    fields: [
      { name: 'name', pointer: '/name', label: "The SEC User's name", kind: 'text', required: true },
      {
        name: 'secPartyId',
        pointer: '/secPartyId',
        label: 'SEC Party id',
        hint: '4 capital letters or digits, as its MPID or Party ID.',
        kind: 'text',
        required: true,
      },
      {
        name: 'contactName',
        pointer: '/contacts/0/name',
        label: "Contact's name",
        hint: "Whom SECAS contacts about the User's access. Up to four more below.",
        kind: 'text',
        required: true,
      },
      { name: 'contactEmail', pointer: '/contacts/0/email', label: "Contact's email address", kind: 'text', required: true, autocomplete: 'off' },
      ...CONTACT_ORDINALS.slice(1).flatMap((ordinal, i) => [
        { name: `contact${i + 2}Name`, pointer: `/contacts/${i + 1}/name`, label: `${ordinal} contact's name (optional)`, kind: 'text' as const },
        {
          name: `contact${i + 2}Email`,
          pointer: `/contacts/${i + 1}/email`,
          label: `${ordinal} contact's email address (optional)`,
          kind: 'text' as const,
          autocomplete: 'off',
        },
      ]),
      officerField,
    ],
  },
  addKey: {
    title: 'Add a public key',
    button: 'Add the key',
    intro: html`<p class="govuk-body">The User sends its public key; its private key never leaves its systems. Two keys may be active at once, for a rotation.</p>`,
    fields: [
      {
        name: 'kid',
        pointer: '/kid',
        label: 'Key id (kid)',
        hint: '1 to 64 letters, digits, dots, underscores or hyphens; never one used before.',
        kind: 'text',
        required: true,
      },
      {
        name: 'publicKey',
        pointer: '/publicKey',
        label: 'Public key',
        hint: 'A PEM public key (-----BEGIN PUBLIC KEY-----) or a JWK: EC P-256, Ed25519, or RSA of at least 2048 bits.',
        kind: 'textarea',
        required: true,
      },
      officerField,
    ],
  },
  retire: {
    title: 'Retire a key',
    button: 'Retire the key',
    intro: html`<p class="govuk-body">Tokens issued under it stop working within 5 minutes (the authorizer's cache); it can never be used again.</p>`,
    fields: [officerField, reasonField],
  },
  suspend: {
    title: 'Suspend',
    button: 'Suspend',
    intro: html`<p class="govuk-body">Its requests are refused within 5 minutes (the authorizer's cache), and the token endpoint refuses it at once, until it is reinstated.</p>`,
    fields: [officerField, reasonField],
  },
  reinstate: { title: 'Reinstate', button: 'Reinstate', fields: [officerField, reasonField] },
  offboard: {
    title: 'Offboard',
    button: 'Continue',
    intro: html`<p class="govuk-body">Offboarding retires every key: the User can never authenticate again. Its cases stay, readable by SECAS.</p>`,
    fields: [officerField, reasonField],
  },
} as const satisfies Record<string, ChangeForm>;
export type FormName = keyof typeof forms;

/** The hidden fields every form carries: the console's anti-forgery token. */
const hidden = (token: string) => html`<input type="hidden" name="csrf" value="${token}">`;

/** A change's form, as served or shown again with the API's corrections. */
export const formPage = (
  form: ChangeForm,
  subject: Client | undefined,
  action: string,
  token: string,
  values: FormValues = {},
  corrections: Correction[] = [],
): string => {
  const ids = Object.fromEntries(form.fields.map((f) => [f.pointer, f.name]));
  const title = subject ? `${form.title}: ${subject.name}` : form.title;
  return layout(
    `${corrections.length ? 'Error: ' : ''}${title} — Second User System console`,
    html`${errorSummary(corrections, ids)}${back(subject ? `/users/${subject.clientId}` : '/users', subject ? `Back to ${subject.name}` : 'All SEC Users')}<h1 class="govuk-heading-l">${title}</h1>
${corrections.length ? html`<p class="govuk-body"><strong>Nothing has changed.</strong> Correct what is marked below.</p>` : html``}${form.intro ?? html``}
<form method="post" action="${action}" novalidate>${hidden(token)}
${form.fields.map((f) => {
  const common = { id: f.name, name: f.name, label: f.label, hint: f.hint, pointer: f.pointer, corrections, value: values[f.name] };
  return f.kind === 'textarea'
    ? textArea({ ...common, ...(f.required ? { required: true } : {}) })
    : textField({
        ...common,
        attributes: [f.required ? 'required' : '', f.autocomplete ? `autocomplete="${f.autocomplete}"` : 'autocomplete="off"', 'spellcheck="false"']
          .filter(Boolean)
          .join(' '),
      });
})}
<button type="submit" class="govuk-button${form.warning ? ' govuk-button--warning' : ''}">${form.button}</button>
</form>`,
  );
};

/** Offboarding's second step: what cannot be undone, said plainly, and the fields carried on. */
export const offboardConfirmPage = (subject: Client, token: string, values: FormValues): string =>
  layout(
    `Offboard ${subject.name}: are you sure? — Second User System console`,
    html`${back(`/users/${subject.clientId}`, `Back to ${subject.name}`)}<h1 class="govuk-heading-l">Are you sure you want to offboard ${subject.name}?</h1>
<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> This cannot be undone. Every key of ${subject.name} is retired and it can never authenticate again; a new registration would be a new client.</strong></div>
${summaryList([
  ['Officer', values.officer ?? ''],
  ['Reason', values.reason || '—'],
])}
<form method="post" action="/users/${subject.clientId}/offboard" novalidate>${hidden(token)}<input type="hidden" name="officer" value="${values.officer ?? ''}"><input type="hidden" name="reason" value="${values.reason ?? ''}"><input type="hidden" name="confirmed" value="yes">
<div class="govuk-button-group"><button type="submit" class="govuk-button govuk-button--warning">Offboard ${subject.name}</button><a class="govuk-link" href="/users/${subject.clientId}">Cancel</a></div>
</form>`,
  );
