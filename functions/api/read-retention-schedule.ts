import { readRetentionSchedule } from '../use-cases/retention';
import { type HttpEvent, callerOf, json, jsonApi } from './http';

/** GET /retention-schedule: SECAS reads the retention schedule in force, its reasons and its audit trail. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    callerOf(event, ['SECAS']);
    return json(200, await readRetentionSchedule());
  },
  { body: 'none' },
);
