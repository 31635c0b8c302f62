import { describe, expect, it } from 'vitest';
import { eventLine, isWarningOrError, logDestination, readableLine } from '../../infra/local/terminal';

/** What `npm start` prints for a person: a function's log line, a metric and a notable event, each in one readable line. */
const at = new Date(2026, 11, 6, 10, 15, 3);

describe("the sandbox's terminal", () => {
  it('reads a Powertools log line as one line: time, function, case, level when not INFO, message, its own keys', () => {
    const line = JSON.stringify({
      level: 'WARN',
      message: 'the workflow could not be started now; the sweep of unstarted cases will start it',
      timestamp: '2026-12-06T10:15:03.123Z',
      service: 'second-user-system-sandbox',
      cold_start: false,
      function_name: 'SubmitNotification',
      correlation_id: 'c0ffee',
      reference: 'SUS-XGEKB-2026-0001',
      error: { name: 'ServiceUnavailable' },
    });
    expect(readableLine(line, 'SubmitNotification', at)).toBe(
      `${new Date('2026-12-06T10:15:03.123Z').toTimeString().slice(0, 8)} SubmitNotification SUS-XGEKB-2026-0001 WARN the workflow could not be started now; the sweep of unstarted cases will start it error={"name":"ServiceUnavailable"}`,
    );
    expect(isWarningOrError(line)).toBe(true);
    expect(isWarningOrError(JSON.stringify({ level: 'INFO', message: 'SSC decision taken' }))).toBe(false);
  });

  it('reads an EMF metric line as the metric, its value and its dimensions', () => {
    const emf = JSON.stringify({
      _aws: {
        Timestamp: 1,
        CloudWatchMetrics: [{ Namespace: 'SecondUserSystem', Dimensions: [['service', 'Late']], Metrics: [{ Name: 'NotificationsFiled', Unit: 'Count' }] }],
      },
      service: 'second-user-system-sandbox',
      Late: 'false',
      NotificationsFiled: 1,
    });
    expect(readableLine(emf, 'SubmitNotification', at)).toBe('10:15:03 SubmitNotification metric NotificationsFiled 1 (Late=false)');
    expect(readableLine('not JSON', 'TakeDecision', at)).toBe('10:15:03 TakeDecision not JSON');
  });

  it('tells each notable event in a line', () => {
    expect(
      eventLine(
        { kind: 'answer', method: 'POST', path: '/notifications', status: 201, functionName: 'SubmitNotification', reference: 'SUS-XGEKB-2026-0001' },
        at,
      ),
    ).toBe('10:15:03 POST /notifications → 201 SubmitNotification SUS-XGEKB-2026-0001');
    expect(eventLine({ kind: 'answer', method: 'GET', path: '/notifications/SUS-XGEKB-2026-0001', status: 401, reference: 'SUS-XGEKB-2026-0001' }, at)).toBe(
      '10:15:03 GET /notifications/SUS-XGEKB-2026-0001 → 401 (API Gateway)',
    );
    expect(eventLine({ kind: 'answer', method: 'POST', path: '/oauth2/token', status: 200 }, at)).toBe('10:15:03 POST /oauth2/token → 200 (token endpoint)');
    expect(eventLine({ kind: 'email', to: ['ssc@secas.example.org'], subject: `SSC decision needed: ${'x'.repeat(200)}` }, at)).toMatch(
      /^10:15:03 email to ssc@secas.example.org: SSC decision needed: x+…$/,
    );
    expect(eventLine({ kind: 'step', reference: 'SUS-XGEKB-2026-0001', state: 'AwaitSscDecision', waits: true }, at)).toBe(
      '10:15:03 SUS-XGEKB-2026-0001 AwaitSscDecision (waits for a person)',
    );
    expect(eventLine({ kind: 'ended', reference: 'SUS-XGEKB-2026-0001', status: 'SUCCEEDED', state: 'CaseOutOfScope' }, at)).toBe(
      '10:15:03 SUS-XGEKB-2026-0001 ended in CaseOutOfScope',
    );
    expect(eventLine({ kind: 'ended', reference: 'SUS-XGEKB-2026-0001', status: 'FAILED', state: 'AcknowledgeReceipt', error: 'Runtime.ExitError' }, at)).toBe(
      '10:15:03 SUS-XGEKB-2026-0001 workflow FAILED in AcknowledgeReceipt (Runtime.ExitError)',
    );
  });

  it('takes SANDBOX_LOGS as file (the default) or terminal, and refuses anything else saying so', () => {
    expect(logDestination(undefined)).toBe('file');
    expect(logDestination('terminal')).toBe('terminal');
    expect(() => logDestination('stdout')).toThrow(/SANDBOX_LOGS is "stdout": give "file"/);
  });
});
