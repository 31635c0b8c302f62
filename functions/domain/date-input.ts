import type { Correction, DatePart } from './html';
import { cleanFormText } from './person';
import type { IsoDate } from './working-days';

/**
 * A date a person types as day, month and year (GOV.UK's date input pattern), read as GOV.UK's
 * guidance reads it: numbers without leading zeros or with them, a month also by its name ("Dec",
 * "December"), and each correction naming the part that is wrong.
 */
export type DateInput = Record<DatePart, string>;

/** The three fields of date `name` in a submitted form (`name-day`, `name-month`, `name-year`). */
export const dateInput = (form: Record<string, unknown>, name: string): DateInput => ({
  day: cleanFormText(form[`${name}-day`]),
  month: cleanFormText(form[`${name}-month`]),
  year: cleanFormText(form[`${name}-year`]),
});

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

const monthNumber = (typed: string): number | undefined => {
  if (/^\d{1,2}$/.test(typed)) return Number(typed);
  const name = typed.toLowerCase().replace(/\.$/, '');
  const index = MONTH_NAMES.indexOf(name) >= 0 ? MONTH_NAMES.indexOf(name) : FULL_MONTHS.indexOf(name);
  return index >= 0 ? index + 1 : undefined;
};

const capitalised = (text: string) => `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;

const PART_ORDER: readonly DatePart[] = ['day', 'month', 'year'];
const listed = (parts: DatePart[]) => (parts.length === 1 ? `a ${parts[0]}` : `a ${parts.slice(0, -1).join(', a ')} and a ${parts.at(-1)}`);

/**
 * The date typed, or what to correct: `what` names it in the words of the form's question, as
 * GOV.UK's error messages do ("the date the assessment will take place").
 */
export const parseDateInput = (input: DateInput, pointer: string, what: string): { date: IsoDate } | { correction: Correction } => {
  const wrong = (detail: string, parts: DatePart[]) => ({ correction: { pointer, detail, parts } });
  const missing = PART_ORDER.filter((part) => input[part] === '');
  if (missing.length === 3) return wrong(`Enter ${what}`, [...PART_ORDER]);
  if (missing.length) return wrong(`${capitalised(what)} must include ${listed(missing)}`, missing);
  const day = /^\d{1,2}$/.test(input.day) ? Number(input.day) : Number.NaN;
  const month = monthNumber(input.month);
  const notReal = PART_ORDER.filter((part) =>
    part === 'day' ? !(day >= 1 && day <= 31) : part === 'month' ? !(month !== undefined && month >= 1 && month <= 12) : !/^\d+$/.test(input.year),
  );
  if (notReal.length) return wrong(`${capitalised(what)} must be a real date`, notReal);
  if (!/^\d{4}$/.test(input.year)) return wrong('Year must include 4 numbers', ['year']);
  const date = `${input.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  // 31 June or 29 February 2027: the day is the part that does not exist in that month.
  if (new Date(Date.UTC(Number(input.year), (month as number) - 1, day)).getUTCDate() !== day)
    return wrong(`${capitalised(what)} must be a real date`, ['day']);
  return { date };
};

/** An ISO date as a person types it into the three fields (no leading zeros), to show a form again. */
export const dateInputOf = (date: IsoDate | undefined): Partial<DateInput> => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  return match ? { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] as string } : {};
};
