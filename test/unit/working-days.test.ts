import { describe, expect, it } from 'vitest';
import data from '../../functions/domain/data/bank-holidays-england-and-wales.json' with { type: 'json' };
import { addWorkingDays, isWorkingDay, londonDate, londonInstant } from '../../functions/domain/working-days';
import { bankHolidayData } from '../../infra/tools/bank-holidays';

describe('SEC Working Days', () => {
  it.each([
    // date, working?, why
    ['2026-11-24', true, 'a Tuesday'],
    ['2026-11-28', false, 'a Saturday'],
    ['2026-11-29', false, 'a Sunday'],
    ['2026-04-03', false, 'Good Friday 2026'],
    ['2026-04-06', false, 'Easter Monday 2026'],
    ['2026-05-04', false, 'Early May bank holiday 2026'],
    ['2026-05-25', false, 'Spring bank holiday 2026'],
    ['2026-08-31', false, 'Summer bank holiday 2026'],
    ['2026-12-25', false, 'Christmas Day 2026'],
    ['2026-12-28', false, 'Boxing Day substitute 2026 (26th is a Saturday)'],
    ['2027-12-27', false, 'Christmas Day substitute 2027'],
    ['2027-12-28', false, 'Boxing Day substitute 2027'],
    ['2020-05-08', false, 'VE Day 2020 (Early May holiday moved)'],
    ['2020-05-04', true, 'the usual Early May Monday, not a holiday in 2020'],
    ['2022-06-03', false, 'Platinum Jubilee 2022'],
    ['2022-09-19', false, 'State Funeral of Queen Elizabeth II'],
    ['2023-05-08', false, 'Coronation of King Charles III'],
    ['2019-04-19', false, 'Good Friday 2019'],
    ['2019-03-29', true, 'an ordinary Friday in 2019'],
    ['2024-12-24', true, 'Christmas Eve is a Working Day'],
    ['2030-04-19', false, 'Good Friday 2030'],
  ])('%s is a Working Day: %s (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it.each([
    ['2026-11-24', 10, '2026-12-08', 'two plain weeks'],
    ['2026-12-18', 5, '2026-12-29', 'across Christmas Day and the Boxing Day substitute'],
    ['2026-12-18', 8, '2027-01-04', 'across Christmas and New Year'],
    ['2026-03-31', 3, '2026-04-07', 'across Easter'],
    ['2026-11-27', 1, '2026-11-30', 'Friday to Monday'],
    ['2026-11-28', 1, '2026-11-30', 'from a Saturday'],
    ['2026-12-08', -10, '2026-11-24', 'backwards'],
    ['2027-01-04', -8, '2026-12-18', 'backwards across the holidays'],
    ['2026-11-24', 0, '2026-11-24', 'zero days'],
  ])('%s + %d Working Days = %s (%s)', (from, days, expected) => {
    expect(addWorkingDays(from, days)).toBe(expected);
  });

  it('refuses dates outside the holiday data rather than ignore holidays', () => {
    expect(() => isWorkingDay('2077-01-04')).toThrow(/outside the bank holiday data/);
    expect(() => addWorkingDays('2076-12-28', 5)).toThrow(/outside the bank holiday data/);
  });

  it('turns UK wall-clock times into instants in GMT and BST', () => {
    expect(londonInstant('2026-11-24', '09:00').toISOString()).toBe('2026-11-24T09:00:00.000Z');
    expect(londonInstant('2026-07-01', '09:00').toISOString()).toBe('2026-07-01T08:00:00.000Z');
    expect(londonInstant('2026-03-29', '09:00').toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(londonDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
  });

  it('matches, date for date, what the maintained date-holidays package says today', () => {
    expect(data.dates).toEqual(bankHolidayData('today').dates);
  });
});
