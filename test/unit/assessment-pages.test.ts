import { describe, expect, it } from 'vitest';
import type { AssessmentStage } from '../../functions/domain/assessment-link';
import { assessmentFormPage } from '../../functions/domain/assessment-pages';
import { referenceCorrection } from '../../functions/domain/person';
import { caseRecord } from '../support/fixtures';

/**
 * SECAS's forms as served: nothing a scanner could submit as it stands records anything. No date,
 * no outcome chosen, no name and no reference; the reference field asks a browser not to fill it.
 */
const c = caseRecord(() => {}, { status: 'AwaitingAssessmentOutcome', assessment: { scheduledOn: '2026-11-20' } });
const claims = (stage: AssessmentStage) => ({ recordId: 'r1', stage, expires: 1_900_000_000 });
const served = (stage: AssessmentStage, bounds = { min: '2026-11-20', max: '2026-11-24' }) => assessmentFormPage(c, claims(stage), 'k.sig', bounds);

describe("SECAS's assessment forms", () => {
  it.each<AssessmentStage>(['AssessmentSchedule', 'AssessmentOutcome'])('%s: served with no value to record, no name and no reference', (stage) => {
    const page = served(stage);
    expect(page).toMatch(
      /<input type="text" id="recordedBy" name="recordedBy" value="" class="[^"]*" aria-describedby="recordedBy-hint" required autocomplete="name">/,
    );
    expect(page).toMatch(
      /<input type="text" id="caseReference" name="caseReference" value="" class="[^"]*" aria-describedby="caseReference-hint" required autocomplete="off" spellcheck="false">/,
    );
    // No maxlength: a browser counts UTF-16 units there, the server counts characters.
    expect(page).not.toMatch(/maxlength/i);
    // The date as day, month and year, empty; its window in words, and as dates a program can read.
    for (const part of ['day', 'month', 'year'])
      expect(page).toMatch(
        new RegExp(`<input type="text" id="(scheduledOn|completedOn)-${part}" name="\\1-${part}" value="" class="[^"]*" inputmode="numeric" required>`),
      );
    expect(page).not.toContain('type="date"');
    expect(page).toContain('<time datetime="2026-11-20">20 November 2026</time>');
    expect(page).toContain('<time datetime="2026-11-24">24 November 2026</time>');
    expect(page).not.toMatch(/\schecked|\sselected|<select|<script|\son[a-z]+=/i);
  });

  it('offers every assurance status, none chosen', () => {
    const page = served('AssessmentOutcome');
    expect(
      page.match(/<input type="radio" id="assuranceStatus(-\d)?" name="assuranceStatus" value="[A-Za-z]+" class="govuk-radios__input" required>/g),
    ).toHaveLength(4);
  });

  it('keeps the outcome chosen and the reference typed when shown again for correction', () => {
    const page = assessmentFormPage(
      c,
      claims('AssessmentOutcome'),
      'k.sig',
      { min: '2026-11-20', max: '2026-11-24' },
      [{ pointer: '/caseReference', detail: referenceCorrection('SUS-NF29F-2026-0043', c.reference, 'you record this for') as string }],
      { assuranceStatus: 'Rejected', caseReference: 'SUS-NF29F-2026-0043' },
    );
    expect(page).toContain('<input type="radio" id="assuranceStatus-4" name="assuranceStatus" value="Rejected" class="govuk-radios__input" checked required>');
    expect(page).toContain('value="SUS-NF29F-2026-0043"');
    expect(page).toContain('That is not the reference of this case');
    expect(page).toContain('Not yet recorded.');
  });

  it('says when an outcome can be recorded for an assessment still ahead', () => {
    expect(served('AssessmentOutcome', { min: '2026-11-25', max: '2026-11-24' })).toContain(
      'The assessment is scheduled for <strong>25 November 2026</strong>: its outcome can be recorded from that day.',
    );
    expect(served('AssessmentOutcome')).not.toContain('its outcome can be recorded from that day');
  });

  it('asks for the reference to confirm the case recorded for, in the words of the form', () => {
    expect(referenceCorrection('', c.reference, 'you record this for')).toBe(
      'Type the case reference (from the heading of this page or the email) to confirm which case you record this for.',
    );
    expect(served('AssessmentSchedule')).toContain('Type it to confirm which case you record this for.');
  });
});
