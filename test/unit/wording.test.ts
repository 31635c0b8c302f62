import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pageStyle from '../../functions/domain/data/govuk-frontend-subset.json' with { type: 'json' };
import { dateInput, parseDateInput } from '../../functions/domain/date-input';
import { dateInWords, datesInWords, dueInWords, eventWords, hasEventWords, timeInWords } from '../../functions/domain/wording';
import { pageStyleData } from '../../infra/tools/page-style';

describe('what people read', () => {
  it('writes dates in words and times with their UK zone', () => {
    expect(dateInWords('2026-12-06')).toBe('6 December 2026');
    expect(dateInWords('2027-01-31')).toBe('31 January 2027');
    expect(timeInWords('2026-12-06T02:38:46.359Z')).toBe('6 December 2026, 02:38 GMT');
    expect(timeInWords('2027-06-01T09:15:00.000Z')).toBe('1 June 2027, 10:15 BST');
    // Just before midnight in London on a summer night is already the next day.
    expect(timeInWords('2027-06-01T23:30:00.000Z')).toBe('2 June 2027, 00:30 BST');
    expect(datesInWords('must be from 2026-12-08 to 2027-01-22: why')).toBe('must be from 8 December 2026 to 22 January 2027: why');
    expect(dueInWords({ dueOn: '2026-12-10', meeting: { on: '2026-12-10', papersBy: '2026-12-03' } })).toBe(
      '10 December 2026, at the SSC meeting that day (papers by 3 December 2026)',
    );
  });

  it('has words for every event the workflow and the handlers record', () => {
    const asl = readFileSync(new URL('../../statemachines/ssc-triage.asl.json', import.meta.url), 'utf8');
    const fromAsl = [...asl.matchAll(/"type":\s*\{\s*"S":\s*"([A-Za-z]+)"/g)].map((m) => m[1] as string);
    expect(fromAsl.length).toBeGreaterThan(5);
    const fromHandlers = [
      'NotificationReceived',
      'AcknowledgementSent',
      'AdviceSent',
      'OverdueNoticeSent',
      'SscDecisionDeadlineSet',
      'UserInformationReminderSent',
    ];
    const composed = ['AssessmentOutcomeEscalatedToSecas', 'AssessmentScheduleRequestedFromSecas', 'AssessmentScheduleRecordedUndone'];
    for (const type of [...fromAsl, ...fromHandlers, ...composed]) expect(hasEventWords(type), type).toBe(true);
    expect(eventWords('SscDecisionDeadlineSet')).toBe("Deadline set for the SSC's decision");
    expect(eventWords('AssessmentScheduleRecordedUndone')).toBe('Assessment date recorded: undone (the workflow could not be reached)');
    // A name the list does not know yet still reads as words.
    expect(hasEventWords('SomethingNewHappened')).toBe(false);
    expect(eventWords('SomethingNewHappened')).toBe('Something new happened');
  });
});

describe('a date typed as day, month and year', () => {
  const what = 'the date the assessment will take place';
  const parse = (day: string, month: string, year: string) => parseDateInput(dateInput({ 'd-day': day, 'd-month': month, 'd-year': year }, 'd'), '/d', what);

  it('takes numbers with or without leading zeros, and months by name', () => {
    expect(parse('6', '12', '2026')).toEqual({ date: '2026-12-06' });
    expect(parse(' 06 ', '012'.slice(1), '2026')).toEqual({ date: '2026-12-06' });
    expect(parse('6', 'Dec', '2026')).toEqual({ date: '2026-12-06' });
    expect(parse('6', 'december', '2026')).toEqual({ date: '2026-12-06' });
    expect(parse('29', '2', '2028')).toEqual({ date: '2028-02-29' });
  });

  it.each([
    ['', '', '', 'Enter the date the assessment will take place', ['day', 'month', 'year']],
    ['6', '', '', 'The date the assessment will take place must include a month and a year', ['month', 'year']],
    ['', '12', '2026', 'The date the assessment will take place must include a day', ['day']],
    ['32', '12', '2026', 'The date the assessment will take place must be a real date', ['day']],
    ['6', '13', '2026', 'The date the assessment will take place must be a real date', ['month']],
    ['x', 'y', '2026', 'The date the assessment will take place must be a real date', ['day', 'month']],
    ['6', '12', '26', 'Year must include 4 numbers', ['year']],
    ['6', '12', '２０２６', 'The date the assessment will take place must be a real date', ['year']],
    ['29', '2', '2027', 'The date the assessment will take place must be a real date', ['day']],
    ['31', '6', '2027', 'The date the assessment will take place must be a real date', ['day']],
  ])('%s/%s/%s: %s', (day, month, year, detail, parts) => {
    expect(parse(day, month, year)).toEqual({ correction: { pointer: '/d', detail, parts } });
  });
});

describe("the pages' style", () => {
  it('is GOV.UK Frontend cut to what the pages use, as `npm run update:page-style` makes it, loading nothing', async () => {
    const fresh = await pageStyleData();
    expect(pageStyle).toEqual(fresh);
    expect(pageStyle.css).toContain('.govuk-error-summary');
    expect(pageStyle.css).toContain('.govuk-date-input__input');
    expect(pageStyle.css).not.toMatch(/url\(|@font-face|@import/);
    expect(pageStyle.css.length).toBeLessThan(40_000);
  });
});
