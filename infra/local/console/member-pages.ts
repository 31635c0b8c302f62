import type * as z from 'zod';
import { type Correction, type SafeHtml, errorSummary, html, summaryList, textField } from '../../../functions/domain/html';
import type { MemberView } from '../../../functions/domain/ssc-members';
import { timeInWords } from '../../../functions/domain/wording';
import { layout } from './pages';

/**
 * SECAS's pages for the register of SSC members and their Alternates in the sandbox's console: the
 * members, a member's Alternate and audit trail, and a form for each change. The pages only show;
 * every change is a call to the API's SECAS routes (members-console.ts).
 */
export type Member = z.infer<typeof MemberView>;

const back = (href: string, text: string) => html`<p class="govuk-body"><a class="govuk-link" href="${href}">${text}</a></p>`;
const cell = (content: SafeHtml | string) => html`<td class="govuk-table__cell">${content}</td>`;
const headers = (caption: string, names: string[]) =>
  html`<caption class="govuk-table__caption govuk-visually-hidden">${caption}</caption><thead class="govuk-table__head"><tr class="govuk-table__row">${names.map(
    (n) => html`<th scope="col" class="govuk-table__header">${n}</th>`,
  )}</tr></thead>`;

export const membersPage = (members: Member[], former: Member[]): string =>
  layout(
    'SSC members — Second User System console',
    html`${back('/', 'All cases')}<h1 class="govuk-heading-l">SSC members</h1>
<p class="govuk-body">The register of SSC members and their Alternates, as the API's <code>GET /ssc-members</code> gives it. Each SSC decision email goes to every member and Alternate here, with links bound to that person, so each decision records who took it; with nobody here it goes to the SSC mailbox. A person removed from the register finds their links refused.</p>
<p class="govuk-body"><a class="govuk-button" href="/members/new">Add an SSC member</a></p>
${
  members.length
    ? html`<table class="govuk-table">${headers('SSC members', ['Member', 'Email', 'Alternate'])}<tbody class="govuk-table__body">
${members.map(
  (m) =>
    html`<tr class="govuk-table__row">${cell(html`<a class="govuk-link" href="/members/${m.memberId}">${m.name}</a>`)}${cell(m.email)}${cell(m.alternate ? `${m.alternate.name} (${m.alternate.email})` : 'None')}</tr>`,
)}
</tbody></table>`
    : html`<p class="govuk-body">No member in the register: the SSC's decision emails go to the SSC mailbox.</p>`
}
${
  former.length
    ? html`<h2 class="govuk-heading-m">Former members</h2><table class="govuk-table">${headers('Former members', ['Member', 'Email', 'Left'])}<tbody class="govuk-table__body">
${former.map((m) => html`<tr class="govuk-table__row">${cell(m.name)}${cell(m.email)}${cell(timeInWords(m.removedAt ?? m.updatedAt))}</tr>`)}
</tbody></table>`
    : html``
}`,
  );

const actionWords: Record<string, string> = {
  'member-added': 'Member added',
  'alternate-appointed': 'Alternate appointed',
  'alternate-removed': 'Alternate removed',
  'member-removed': 'Member removed',
};

export const memberPage = (m: Member): string =>
  layout(
    `${m.name} — Second User System console`,
    html`${back('/members', 'All SSC members')}<h1 class="govuk-heading-l">${m.name}</h1>
${summaryList([
  ['Email', m.email],
  ['Alternate', m.alternate ? `${m.alternate.name} (${m.alternate.email}), appointed ${timeInWords(m.alternate.appointedAt)}` : 'None'],
  ['Added', timeInWords(m.createdAt)],
])}
<div class="govuk-button-group">
<a class="govuk-button" href="/members/${m.memberId}/alternate">${m.alternate ? 'Appoint another Alternate' : 'Appoint an Alternate'}</a>
${m.alternate ? html`<a class="govuk-button govuk-button--secondary" href="/members/${m.memberId}/alternate/removal">Remove the Alternate</a>` : html``}
<a class="govuk-button govuk-button--warning" href="/members/${m.memberId}/removal">Remove the member</a>
</div>
<h2 class="govuk-heading-m">Audit trail</h2>
<table class="govuk-table">${headers('Audit trail', ['When', 'What', 'Officer', 'Alternate'])}<tbody class="govuk-table__body">
${m.audit.map(
  (a) =>
    html`<tr class="govuk-table__row">${cell(timeInWords(a.at))}${cell(actionWords[a.action] ?? a.action)}${cell(html`${a.officer}<br><span class="govuk-body-s app-muted">through ${a.by}</span>`)}${cell(a.alternate?.name ?? '—')}</tr>`,
)}
</tbody></table>`,
  );

// ---- the forms -----------------------------------------------------------------------------------

export type MemberFormName = 'member' | 'alternate' | 'alternate-removal' | 'removal';
export type MemberFormValues = Record<string, string>;

/** The form fields' ids, by the API's JSON pointer each answers to. */
const FIELD_IDS: Record<MemberFormName, Record<string, string>> = {
  member: { '/name': 'name', '/email': 'email', '/officer': 'officer' },
  alternate: { '/name': 'name', '/email': 'email', '/officer': 'officer' },
  'alternate-removal': { '/officer': 'officer' },
  removal: { '/officer': 'officer' },
};
export const firstMemberFieldOf = (form: MemberFormName) => Object.keys(FIELD_IDS[form])[0] as string;

const titles: Record<MemberFormName, (m: Member | undefined) => string> = {
  member: () => 'Add an SSC member',
  alternate: (m) => `Appoint an Alternate for ${m?.name ?? ''}`,
  'alternate-removal': (m) => `Remove ${m?.alternate?.name ?? 'the Alternate'} as Alternate for ${m?.name ?? ''}`,
  removal: (m) => `Remove ${m?.name ?? ''} from the SSC register`,
};

const explanations: Record<MemberFormName, (m: Member | undefined) => string> = {
  member: () => "From now on the SSC's decision emails go to this member, with links bound to them, instead of the SSC mailbox.",
  alternate: (m) =>
    m?.alternate
      ? `${m.alternate.name} is Alternate now: appointing another removes them, and their links stop working.`
      : "The Alternate gets the SSC's decision emails too, with links of their own: a decision through them is recorded as taken by the Alternate for this member.",
  'alternate-removal': () => "The Alternate's links stop working at once. Decisions already taken stay as recorded.",
  removal: () => "The member's links, and their Alternate's, stop working at once. Decisions already taken stay as recorded; the member's audit trail is kept.",
};

const officerField = (values: MemberFormValues, corrections: Correction[]) =>
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

/** A change's form, as served or shown again with the API's corrections. */
export const memberFormPage = (
  form: MemberFormName,
  subject: Member | undefined,
  action: string,
  token: string,
  values: MemberFormValues = {},
  corrections: Correction[] = [],
): string => {
  const title = titles[form](subject);
  const person = form === 'member' || form === 'alternate';
  const fields = person
    ? html`${textField({ id: 'name', name: 'name', label: 'Full name', pointer: '/name', corrections, value: values.name, attributes: 'required autocomplete="off" spellcheck="false"' })}
${textField({ id: 'email', name: 'email', label: 'Email address', hint: "Where the SSC's decision emails for this person go.", pointer: '/email', corrections, value: values.email, attributes: 'required type="email" autocomplete="off" spellcheck="false"' })}`
    : html``;
  return layout(
    `${corrections.length ? 'Error: ' : ''}${title} — Second User System console`,
    html`${errorSummary(corrections, FIELD_IDS[form])}${back(subject ? `/members/${subject.memberId}` : '/members', subject ? `Back to ${subject.name}` : 'All SSC members')}<h1 class="govuk-heading-l">${title}</h1>
${corrections.length ? html`<p class="govuk-body"><strong>Nothing has changed.</strong> Correct what is marked below.</p>` : html``}
<p class="govuk-body">${explanations[form](subject)}</p>
<form method="post" action="${action}" novalidate><input type="hidden" name="csrf" value="${token}">
${fields}
${officerField(values, corrections)}
<button type="submit" class="govuk-button${person ? '' : ' govuk-button--warning'}">${person ? (form === 'member' ? 'Add the member' : 'Appoint the Alternate') : 'Remove'}</button>
</form>`,
  );
};
