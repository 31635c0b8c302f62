import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, inject } from 'vitest';
import { recordedAwsCalls } from '../../infra/local/aws-calls';
import { settingReads } from '../../infra/local/function-environment';
import type { FileRecord } from './permissions/report';

/**
 * Set up before each test file of the servers project: once the file is done (its sandbox
 * stopped: this hook runs last), what its sandbox recorded goes to the run's directory, for the
 * permission check in the global teardown (test/support/global-setup.ts).
 */
afterAll(() => {
  const record: FileRecord = { file: expect.getState().testPath ?? '', calls: recordedAwsCalls(), settingReads: settingReads() };
  writeFileSync(join(inject('awsCallsDir'), `${randomUUID()}.json`), JSON.stringify(record));
});
