import type * as z from 'zod';
import type { DateInput } from '../../../functions/domain/date-input';
import { type Correction, type SafeHtml, dateField, errorSummary, html, radios, summaryList, textField } from '../../../functions/domain/html';
import { type ProviderView, latestAssessment } from '../../../functions/domain/shared-resources';
import { dateInWords, timeInWords } from '../../../functions/domain/wording';
import { layout } from './pages';

/**
 * SECAS's pages for the register of Shared Resource Providers in the sandbox's console: the
 * providers, a provider's assessments and audit trail, and a form for each change. The pages only
 * show; every change is a call to the API's SECAS routes (providers-console.ts).
 */
export type Provider = z.infer<typeof ProviderView>;

const statusTags = { Approved: 'govuk-tag--green', Deferred: 'govuk-tag--yellow', Rejected: 'govuk-tag--red' } as const;
const tag = (status: keyof typeof statusTags) => html`<strong class="govuk-tag ${statusTags[status]}">${status}</strong>`;
const back = (href: string, text: string) => html`<p class="govuk-body"><a class="govuk-link" href="${href}">${text}</a></p>`;
const cell = (content: SafeHtml | string) => html`<td class="govuk-table__cell">${content}</td>`;
const headers = (caption: string, names: string[]) =>
  html`<caption class="govuk-table__caption govuk-visually-hidden">${caption}</caption><thead class="govuk-table__head"><tr class="govuk-table__row">${names.map(
    (n) => html`<th scope="col" class="govuk-table__header">${n}</th>`,
  )}</tr></thead>`;

export const providersPage = (providers: Provider[]): string =>
  layout(
    'Shared Resource Providers — Second User System console',
    html`${back('/', 'All cases')}<h1 class="govuk-heading-l">Shared Resource Providers</h1>
<p class="govuk-body">The register of Shared Resource Providers and their User Security Assessments, as the API's <code>GET /shared-resource-providers</code> gives it. Triage checks each notice's provider against it; a new outcome is emailed to the Users of the open cases that employ the provider (SEC G10.8).</p>
<p class="govuk-body"><a class="govuk-button" href="/providers/new">Record a Shared Resource Provider</a></p>
${
  providers.length
    ? html`<table class="govuk-table">${headers('Shared Resource Providers', ['Name', 'Latest outcome', 'Valid until', 'Assessments'])}<tbody class="govuk-table__body">
${providers.map((p) => {
  const l = latestAssessment(p);
  return html`<tr class="govuk-table__row">${cell(html`<a class="govuk-link" href="/providers/${p.providerId}">${p.name}</a>`)}${cell(l ? tag(l.assuranceStatus) : 'None yet')}${cell(l ? dateInWords(l.validUntil) : '—')}${cell(String(p.assessments.length))}</tr>`;
})}
</tbody></table>`
    : html`<p class="govuk-body">No provider recorded yet.</p>`
}`,
  );

const actionWords: Record<string, string> = { 'provider-recorded': 'Provider recorded', 'assessment-recorded': 'Assessment outcome recorded' };

export const providerPage = (p: Provider): string => {
  const l = latestAssessment(p);
  return layout(
    `${p.name} — Second User System console`,
    html`${back('/providers', 'All Shared Resource Providers')}<h1 class="govuk-heading-l">${p.name}</h1>
${summaryList([
  ['Provider id', p.providerId],
  ['Latest outcome', l ? html`${tag(l.assuranceStatus)} ${l.reference}, valid until ${dateInWords(l.validUntil)}` : 'None yet'],
  ['Recorded', timeInWords(p.createdAt)],
])}
<p class="govuk-body"><a class="govuk-button" href="/providers/${p.providerId}/assessments/new">Record an assessment outcome</a></p>
<h2 class="govuk-heading-m">User Security Assessments</h2>
${
  p.assessments.length
    ? html`<table class="govuk-table">${headers('User Security Assessments', ['Reference', 'Assessed', 'Assurance status', 'Valid until', 'Recorded'])}<tbody class="govuk-table__body">
${p.assessments.map(
  (a) =>
    html`<tr class="govuk-table__row">${cell(a.reference)}${cell(dateInWords(a.assessedOn))}${cell(tag(a.assuranceStatus))}${cell(dateInWords(a.validUntil))}${cell(timeInWords(a.recordedAt))}</tr>`,
)}
</tbody></table>`
    : html`<p class="govuk-body">No outcome recorded yet: triage flags every notice naming this provider.</p>`
}
<h2 class="govuk-heading-m">Audit trail</h2>
<table class="govuk-table">${headers('Audit trail', ['When', 'What', 'Officer', 'Assessment', 'Users told'])}<tbody class="govuk-table__body">
${p.audit.map(
  (a) =>
    html`<tr class="govuk-table__row">${cell(timeInWords(a.at))}${cell(actionWords[a.action] ?? a.action)}${cell(html`${a.officer}<br><span class="govuk-body-s app-muted">through ${a.by}</span>`)}${cell(a.assessmentReference ?? '—')}${cell(
      a.notifiedCases ? (a.notifiedCases.length ? a.notifiedCases.join(', ') : 'No open case employs it') : '—',
    )}</tr>`,
)}
</tbody></table>`,
  );
};

// ---- the forms -----------------------------------------------------------------------------------

export type ProviderFormName = 'provider' | 'assessment';
export type ProviderFormValues = Record<string, string>;

/** The form fields' ids, by the API's JSON pointer each answers to. */
const FIELD_IDS: Record<ProviderFormName, Record<string, string>> = {
  provider: { '/name': 'name', '/officer': 'officer' },
  assessment: {
    '/reference': 'reference',
    '/assessedOn': 'assessedOn',
    '/assuranceStatus': 'assuranceStatus',
    '/validUntil': 'validUntil',
    '/officer': 'officer',
  },
};
export const firstFieldOf = (form: ProviderFormName) => Object.keys(FIELD_IDS[form])[0] as string;

const officerField = (values: ProviderFormValues, corrections: Correction[]) =>
  textField({
    id: 'officer',
    name: 'officer',
    label: 'Your full name',
    hint: 'Recorded in the audit trail as the SECAS officer who made this change.',
    pointer: '/officer',
    corrections,
    value: values.officer,
    attributes: 'required autocomplete="name" spellcheck="false"',
  });

const dateOf = (values: ProviderFormValues, name: string): Partial<DateInput> => ({
  day: values[`${name}-day`] ?? '',
  month: values[`${name}-month`] ?? '',
  year: values[`${name}-year`] ?? '',
});

/** A change's form, as served or shown again with the corrections (the console's own, for a date, or the API's). */
export const providerFormPage = (
  form: ProviderFormName,
  subject: Provider | undefined,
  action: string,
  token: string,
  values: ProviderFormValues = {},
  corrections: Correction[] = [],
): string => {
  const title = form === 'provider' ? 'Record a Shared Resource Provider' : `Record an assessment outcome: ${subject?.name ?? ''}`;
  const fields =
    form === 'provider'
      ? html`${textField({ id: 'name', name: 'name', label: "The provider's name", hint: 'As Users name it in their notices: triage finds it by this name, however cased or spaced.', pointer: '/name', corrections, value: values.name, attributes: 'required autocomplete="off" spellcheck="false"' })}`
      : html`${textField({ id: 'reference', name: 'reference', label: 'Assessment reference', hint: 'Capital letters and digits in hyphen-separated groups, for example USAR-2026-014. Each reference is recorded once.', pointer: '/reference', corrections, value: values.reference, attributes: 'required autocomplete="off" spellcheck="false"', width: 'govuk-input--width-20' })}
${dateField({ id: 'assessedOn', name: 'assessedOn', label: 'When the assessment completed', hint: 'For example, 2 3 2026. Not in the future.', pointer: '/assessedOn', corrections, value: dateOf(values, 'assessedOn') })}
${radios({
  id: 'assuranceStatus',
  name: 'assuranceStatus',
  label: 'Assurance status',
  hint: 'Deferred or Rejected alerts SECAS and the SSC as well as the Users.',
  pointer: '/assuranceStatus',
  corrections,
  value: values.assuranceStatus,
  options: [
    ['Approved', 'Approved'],
    ['Deferred', 'Deferred'],
    ['Rejected', 'Rejected'],
  ],
})}
${dateField({ id: 'validUntil', name: 'validUntil', label: 'Valid until', hint: 'The last day the outcome stands: after the assessment date.', pointer: '/validUntil', corrections, value: dateOf(values, 'validUntil') })}`;
  return layout(
    `${corrections.length ? 'Error: ' : ''}${title} — Second User System console`,
    html`${errorSummary(corrections, FIELD_IDS[form])}${back(subject ? `/providers/${subject.providerId}` : '/providers', subject ? `Back to ${subject.name}` : 'All Shared Resource Providers')}<h1 class="govuk-heading-l">${title}</h1>
${corrections.length ? html`<p class="govuk-body"><strong>Nothing has changed.</strong> Correct what is marked below.</p>` : html``}
${form === 'assessment' ? html`<p class="govuk-body">Once recorded, the outcome is emailed to the User of every open or deferred case that names this provider (SEC G10.8).</p>` : html``}
<form method="post" action="${action}" novalidate><input type="hidden" name="csrf" value="${token}">
${fields}
${officerField(values, corrections)}
<button type="submit" class="govuk-button">${form === 'provider' ? 'Record the provider' : 'Record the outcome'}</button>
</form>`,
  );
};
