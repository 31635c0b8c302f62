import { writeFileSync } from 'node:fs';
import Holidays from 'date-holidays';
import packageJson from 'date-holidays/package.json' with { type: 'json' };

/**
 * England and Wales bank holidays (with Christmas Day and Good Friday) from the maintained
 * `date-holidays` package, as a dated data file the Lambdas read without carrying the
 * package's 1.5 MB of worldwide data. `npm run update:bank-holidays` regenerates it; a test
 * fails when the file and the installed package disagree.
 */
export const FIRST_YEAR = 2018;
/**
 * Fifty years ahead: England and Wales bank holidays follow standing rules (Easter, fixed
 * Mondays, substitute days), which the package computes for any year; only one-off holidays
 * (a jubilee, a state funeral) are announced late, and the test against the package catches them.
 */
export const LAST_YEAR = 2076;
export const DATA_FILE = new URL('../../functions/domain/data/bank-holidays-england-and-wales.json', import.meta.url);

export const englandAndWalesHolidays = (): string[] => {
  const calendar = new Holidays('GB', 'ENG');
  const dates: string[] = [];
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
    for (const holiday of calendar.getHolidays(year)) {
      if (holiday.type === 'public' || holiday.type === 'bank') dates.push(holiday.date.slice(0, 10));
    }
  }
  return [...new Set(dates)].sort();
};

export const bankHolidayData = (generatedOn: string) => ({
  description: 'Bank holidays in England and Wales, with Christmas Day and Good Friday: the days besides weekends that are not SEC Working Days.',
  source: `date-holidays ${packageJson.version}, country GB, region ENG, holiday types public and bank`,
  generatedOn,
  firstYear: FIRST_YEAR,
  lastYear: LAST_YEAR,
  dates: englandAndWalesHolidays(),
});

if (process.argv[1]?.endsWith('bank-holidays.ts')) {
  writeFileSync(DATA_FILE, `${JSON.stringify(bankHolidayData(new Date().toISOString().slice(0, 10)), null, 2)}\n`);
  process.stdout.write(`wrote ${DATA_FILE.pathname}\n`);
}
