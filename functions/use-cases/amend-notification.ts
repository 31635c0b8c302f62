import { getCase, loadCase, recordAmendment } from '../adapters/cases-repository';
import type { Caller } from '../domain/caller';
import { type CaseFile, type CaseRecord, WITHDRAWABLE, eventText, fileOf, versionOf } from '../domain/case';
import { type NotificationPatch, amendNotice, changeSummary, etagOf, versionNamed } from '../domain/amendment';
import { Problem, notFound } from '../domain/problem';
import { londonDate } from '../domain/working-days';
import { conflict, mustSee } from './case-actions';

/** The statuses an amendment is taken in: until the SSC decides, as for a withdrawal. */
const AMENDABLE = WITHDRAWABLE;

const preconditionRequired = () =>
  new Problem(
    428,
    'precondition-required',
    'If-Match required',
    'Send If-Match with the ETag of the case as you last read it (GET the case): an amendment must name the version it amends.',
  );

const stale = (record: CaseRecord) =>
  new Problem(
    412,
    'precondition-failed',
    'The case has changed',
    `The If-Match does not name the current version of the notice (${etagOf(versionOf(record))}): GET the case, check what changed, and patch that version. Nothing was changed.`,
    { headers: { ETag: etagOf(versionOf(record)) } },
  );

/** Why a case takes no amendment now (closed, withdrawn, decided), or undefined when it does. */
const refusalOf = (record: CaseRecord): Problem | undefined => {
  if (record.withdrawal) return conflict(`Case ${record.reference} is withdrawn (or being withdrawn): it cannot be amended. Nothing was changed.`);
  if (!AMENDABLE.includes(record.status))
    return conflict(
      `Case ${record.reference} can be amended only until the SSC decides; it is ${record.status}. To notify a changed system, file a new notification. Nothing was changed.`,
    );
  return undefined;
};

/**
 * The filing User amends its notice (a JSON merge patch) at the version it read: refused, with
 * nothing changed, unless the case is still at that version and not yet decided, closed or
 * withdrawn, and the amended notice passes intake's validation. A patch that changes nothing is
 * not recorded. Returns the case's file as it stands after.
 */
export const amendNotification = async (
  reference: string,
  patch: NotificationPatch,
  ifMatch: string | undefined,
  actor: Caller,
  now: Date,
): Promise<CaseFile> => {
  await mustSee(reference, actor);
  const expected = versionNamed(ifMatch);
  if (expected === undefined) throw preconditionRequired();
  const record = await getCase(reference);
  if (!record) throw notFound(`Case ${reference}`);
  const refused = refusalOf(record);
  if (refused) throw refused;
  if (expected !== versionOf(record)) throw stale(record);
  const outcome = amendNotice(record.submission, patch, londonDate(now));
  if (!outcome.ok) throw outcome.problem;
  if (!outcome.changes.length) return (await loadCase(reference)) ?? fileOf(record);
  const version = expected + 1;
  const at = now.toISOString();
  const amended = await recordAmendment(reference, {
    expected,
    statuses: AMENDABLE,
    amendment: { version, at, changes: outcome.changes },
    changes: { submission: outcome.submission },
    event: { at, type: 'NotificationAmended', actor, text: eventText(changeSummary(version, outcome.changes)) },
  });
  if (!amended) {
    // Another write came first: say which of the conditions it broke.
    const latest = await getCase(reference);
    if (!latest) throw notFound(`Case ${reference}`);
    throw refusalOf(latest) ?? stale(latest);
  }
  return (await loadCase(reference)) ?? fileOf(amended);
};
