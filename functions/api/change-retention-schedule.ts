import { RetentionScheduleChange } from '../domain/retention';
import { changeRetentionSchedule } from '../use-cases/retention';
import { type HttpEvent, callerOf, json, jsonApi, parseBody } from './http';

/** POST /retention-schedule: SECAS sets the retention schedule; a period that would erase before a case could end, or never, is a 422 with the reason. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const secas = callerOf(event, ['SECAS']);
    return json(200, await changeRetentionSchedule(parseBody(RetentionScheduleChange, event), secas.id, new Date()));
  },
  { body: 'json' },
);
