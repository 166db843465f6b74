import { Type, type Static } from '@sinclair/typebox';
import { ClosedMap, Id, Region, StringEnum, Timestamp, labelKey } from './common.schema.ts';
import { Monitor, checkTypes } from './monitor.schema.ts';
import { CheckResult } from './result.schema.ts';
import { LOAD_TEST_CAPABILITY, LoadTestShare } from './load-test.schema.ts';

/**
 * The runner protocol (/v1/runner/…), authenticated by a runner token.
 * 1. POST /v1/runner/register once per process start → runner_id, lease and poll settings.
 * 2. GET /v1/runner/assignments?runner_id=…&revision=N&wait=S, a long poll: the full set of
 *    monitors the runner owns when revision is 0 or unknown, otherwise only the changes since N;
 *    answers at once when something changed (or a confirmation check is asked for), else after S s.
 *    Every poll renews the runner's lease; a runner whose lease runs out loses its monitors.
 * 3. POST /v1/runner/results with batches of results; each is accepted, or rejected with a reason,
 *    and a result id seen before (in an earlier batch or earlier in the same one) is accepted again
 *    without being stored twice.
 * 4. Load tests (runners that list `load_test` in capabilities): the assignments answer also carries
 *    `load_tests` (shares to run) and `aborted_load_tests`, and the runner reports each share's
 *    progress to POST /v1/runner/load-tests/{load_test_id}/progress (see load-test.schema.ts).
 */
export const RUNNER_PROTOCOL_VERSION = 1;

/**
 * What a runner may list in `capabilities`: the check types it executes, and `load_test`. The
 * planner matches capabilities against a monitor's check type, so `load_test` never places a monitor.
 */
export const runnerCapabilities = [...checkTypes, LOAD_TEST_CAPABILITY] as const;

export const RunnerRegistration = Type.Object(
  {
    protocol_version: Type.Integer({ minimum: 1, maximum: 65535, description: 'Protocol version the runner speaks.' }),
    version: Type.String({ maxLength: 64, description: 'Runner software version.' }),
    hostname: Type.Optional(Type.String({ maxLength: 255 })),
    capabilities: Type.Array(StringEnum(runnerCapabilities), { maxItems: runnerCapabilities.length, uniqueItems: true, description: 'Check types the runner can execute, plus "load_test" when it runs load-test shares.' }),
  },
  { additionalProperties: false },
);

export const RunnerRegistered = Type.Object({
  runner_id: Id,
  region: Region,
  labels: ClosedMap(labelKey, Type.String(), { maxProperties: 20, description: 'Labels of the runner token (e.g. zone).' }),
  protocol_version: Type.Integer(),
  lease_seconds: Type.Integer({ description: 'Poll at least this often or lose the lease.' }),
  poll_wait_seconds: Type.Integer({ description: 'Suggested long-poll wait.' }),
  max_batch: Type.Integer({ description: 'Largest accepted result batch.' }),
});

/**
 * What a runner needs of a monitor: the monitor document (team/service ids included for logs) with
 * its write-only `secret_headers` filled in (http and each step). Only the runner that owns one of
 * the monitor's slots receives them; no other read path returns them.
 */
export const AssignedMonitor = Monitor;

export const ConfirmationRequest = Type.Object({
  monitor_id: Id,
  requested_at: Timestamp,
  reason: Type.String({ description: 'e.g. "first failure in us-east-1"' }),
});

export const AssignmentsQuery = Type.Object(
  {
    runner_id: Id,
    // Bounded so that a revision PostgreSQL cannot hold (bigint) is a 422, not a failed query.
    revision: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, description: 'Revision of the last answer; 0 asks for the full set.' })),
    wait: Type.Optional(Type.Integer({ minimum: 0, maximum: 60, default: 20 })),
  },
  { additionalProperties: false },
);

export const Assignments = Type.Object({
  revision: Type.Integer({ description: 'Pass back on the next poll.' }),
  full: Type.Boolean({ description: 'true: monitors is the complete set (replace everything); false: apply upserts and removals.' }),
  monitors: Type.Array(AssignedMonitor, { description: 'full: every assigned monitor; otherwise monitors added or changed.' }),
  removed: Type.Array(Id, { description: 'Monitors no longer assigned (only when full is false).' }),
  confirmations: Type.Array(ConfirmationRequest, { description: 'Run these now, once, with confirmation = true.' }),
  load_tests: Type.Optional(Type.Array(LoadTestShare, { description: 'Only for runners with the load_test capability: the load-test shares this runner runs now (repeated while they run; start a given load_test_id once).' })),
  aborted_load_tests: Type.Optional(Type.Array(Id, { description: 'Only for runners with the load_test capability: load tests to stop at once (aborted, or their deadline passed).' })),
  lease_expires_at: Timestamp,
});

export const ResultBatch = Type.Object(
  {
    runner_id: Id,
    results: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1000, description: 'CheckResult documents; each is validated on its own.' }),
  },
  { additionalProperties: false },
);

export const ResultRejection = Type.Object({
  id: Type.Optional(Type.String()),
  index: Type.Integer(),
  code: StringEnum(['invalid_result', 'not_assigned', 'unknown_monitor'] as const),
  message: Type.String(),
});

export const ResultBatchOutcome = Type.Object({
  accepted: Type.Array(Type.String(), { description: 'Ids stored now or before, each once: the runner may forget them.' }),
  duplicates: Type.Integer({ description: 'How many accepted results were not stored now: their id was stored before, or came earlier in the same batch.' }),
  rejected: Type.Array(ResultRejection, { description: 'Results that will never be accepted; the runner drops them.' }),
});

export type RunnerRegistration = Static<typeof RunnerRegistration>;
export type RunnerRegistered = Static<typeof RunnerRegistered>;
export type Assignments = Static<typeof Assignments>;
export type ConfirmationRequest = Static<typeof ConfirmationRequest>;
export type ResultBatchOutcome = Static<typeof ResultBatchOutcome>;
export { CheckResult };
