import type { Response } from 'express';
import { PharosError, errorCodes, type ErrorCode, type Problem } from '../contract/errors.ts';
import { redactPath } from '../observability/path-redaction.ts';
import { isDatabaseUnavailable } from '../db/db-errors.ts';

const titles: Record<ErrorCode, string> = {
  validation_failed: 'Validation failed',
  malformed_json: 'Malformed JSON',
  json_too_deep: 'JSON nested too deeply',
  bad_request: 'Bad request',
  payload_too_large: 'Payload too large',
  request_header_too_large: 'Request header fields too large',
  request_timeout: 'Request timeout',
  unsupported_media_type: 'Unsupported media type',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  load_test_running: 'Load test running',
  load_test_finished: 'Load test finished',
  load_test_host_not_allowed: 'Host not allowed for load tests',
  load_test_limit_exceeded: 'Load test limit exceeded',
  no_load_test_runner: 'No load-test runner',
  invalid_managed_by: 'Invalid Pharos-Managed-By header',
  managed_elsewhere: 'Managed elsewhere',
  precondition_failed: 'Precondition failed',
  precondition_required: 'Precondition required',
  idempotency_key_reused: 'Idempotency key reused',
  idempotency_key_in_flight: 'Idempotency key in flight',
  secret_shown_once: 'Secret shown once',
  secret_undecryptable: 'Secret cannot be decrypted',
  incompatible_runner: 'Incompatible runner',
  rate_limited: 'Too many requests',
  unavailable: 'Service unavailable',
  database_unavailable: 'Database unavailable',
  internal: 'Internal error',
};

/** The one place that maps an error to an HTTP status and a problem+json document. */
export function toProblem(error: unknown, requestId: string, url: string): Problem {
  // The instance is the request URL without credential segments (heartbeat tokens).
  const instance = redactPath(url);
  if (!(error instanceof PharosError) && isDatabaseUnavailable(error)) error = databaseUnavailable();
  if (error instanceof PharosError) {
    return {
      type: `https://pharos.dev/problems/${error.code.replaceAll('_', '-')}`,
      title: titles[error.code],
      status: errorCodes[error.code],
      code: error.code,
      detail: error.message,
      instance,
      request_id: requestId,
      ...(error.errors ? { errors: error.errors } : {}),
      ...(error.conflicts ? { conflicts: error.conflicts } : {}),
    };
  }
  return {
    type: 'https://pharos.dev/problems/internal',
    title: titles.internal,
    status: 500,
    code: 'internal',
    detail: `Something went wrong on the server; the request id ${requestId} finds the details in the server log.`,
    instance,
    request_id: requestId,
  };
}

// Seconds a client should wait before retrying, sent as Retry-After with these codes.
const retryAfterSeconds: Partial<Record<ErrorCode, number>> = { database_unavailable: 5 };

// Connection-level database failures (server down, restarting, frozen, unreachable) are not bugs of
// the request: they answer 503 with Retry-After, and the process carries on.
const databaseUnavailable = () =>
  new PharosError(
    'database_unavailable',
    `The control plane cannot reach its database right now (it is restarting, stopped or not answering); retry after ${retryAfterSeconds.database_unavailable} seconds (Retry-After). ` +
      'A write answered with this error may or may not have been applied: retry it with the same Idempotency-Key.',
  );

/** Sends a problem document with its status. */
export function sendProblem(res: Response, problem: Problem): void {
  const retryAfter = retryAfterSeconds[problem.code];
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}
