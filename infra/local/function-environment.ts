import { type FunctionName, functionNames, settingsOf, specOf } from '../../functions/catalogue';
import { type SettingName, settings } from '../../functions/adapters/config';
import { currentFunctionName, seesWholeEnvironment } from './lambda-context';

/**
 * The sandbox runs every function in one process, whose environment holds every setting; on AWS
 * each function is given only the settings its catalogue entry implies. This makes the sandbox
 * as strict: during an invocation, a setting of the contract that the running function was not
 * given reads as unset (so `setting()` fails, naming it, exactly as on AWS), and every read is
 * recorded, so that a test can find a setting given to a function that never reads it.
 * Variables outside the contract (AWS_*, POWERTOOLS_*) are untouched. A previous release's
 * function sees the whole environment, as its stack gave every function every setting.
 */
const contract = new Set<string>(Object.keys(settings));
const given = new Map<string, Set<string>>(functionNames.map((name) => [name, new Set<string>(settingsOf(specOf(name)))]));
const reads = new Map<string, Set<SettingName>>();
let installed = false;

const hidden = (key: string | symbol): boolean => {
  if (typeof key !== 'string' || !contract.has(key) || seesWholeEnvironment()) return false;
  const fn = currentFunctionName();
  if (!fn) return false;
  const allowed = given.get(fn);
  // A function the catalogue does not know is the sandbox's own mistake: hide nothing, record nothing.
  if (!allowed) return false;
  if (!allowed.has(key)) return true;
  const seen = reads.get(fn) ?? new Set<SettingName>();
  seen.add(key as SettingName);
  reads.set(fn, seen);
  return false;
};

export const scopeSettingsToFunctions = (): void => {
  if (installed) return;
  installed = true;
  const env = process.env;
  process.env = new Proxy(env, {
    get: (target, key) => (hidden(key) ? undefined : Reflect.get(target, key)),
    has: (target, key) => !hidden(key) && Reflect.has(target, key),
    getOwnPropertyDescriptor: (target, key) => (hidden(key) ? undefined : Reflect.getOwnPropertyDescriptor(target, key)),
    // Writes go to the real environment as plain assignments (it refuses partial property descriptors).
    set: (target, key, value) => Reflect.set(target, key, value),
  });
};

/** The settings each function has read, in this process, since it started. */
export const settingReads = (): Partial<Record<FunctionName, SettingName[]>> => Object.fromEntries([...reads].map(([fn, names]) => [fn, [...names].sort()]));
