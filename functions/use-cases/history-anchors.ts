import { headsToAnchor } from '../adapters/cases-repository';
import { putAnchor } from '../adapters/history-anchors';

/** Writes today's anchor: every case's head, as it stands at `now`, to the bucket no table writer can write. */
export const anchorCaseHistories = async (now: Date): Promise<{ key: string; cases: number }> => {
  const heads = await headsToAnchor();
  const key = await putAnchor({ at: now.toISOString(), heads });
  return { key, cases: Object.keys(heads).length };
};
