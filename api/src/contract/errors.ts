/**
 * Stable error codes of the wire contract. Clients branch on `code`, never on the message.
 * The HTTP status of each code is fixed here and nowhere else.
 */
export const errorCodes = {
  validation_failed: 422,
  malformed_json: 400,
  json_too_deep: 400,
  bad_request: 400,
  payload_too_large: 413,
  request_header_too_large: 431,
  request_timeout: 408,
  unsupported_media_type: 415,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  load_test_running: 409,
  load_test_finished: 409,
  load_test_host_not_allowed: 422,
  load_test_limit_exceeded: 422,
  no_load_test_runner: 422,
  invalid_managed_by: 400,
  managed_elsewhere: 409,
  precondition_failed: 412,
  precondition_required: 428,
  idempotency_key_reused: 422,
  idempotency_key_in_flight: 409,
  secret_shown_once: 409,
  secret_undecryptable: 409,
  incompatible_runner: 426,
  rate_limited: 429,
  unavailable: 503,
  database_unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** One offending field: the JSON pointer into the request body and what to fix. */
export interface FieldError {
  pointer: string;
  message: string;
  /** For errors inside a text the field holds (an alert expression): 1-based line and column. */
  line?: number;
  column?: number;
}

/** An existing object a conflict is about: the one holding a name, or one that still refers to the target. */
export interface ConflictingObject {
  type: string;
  id: string;
  name?: string;
  team_id?: string;
  team_name?: string;
  /** How it relates to the request, e.g. "has the same name", "depends on this service". */
  relation: string;
}

/** RFC 9457 problem document as Pharos sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  request_id?: string;
  errors?: FieldError[];
  /** With `conflict`: the existing objects in the way. */
  conflicts?: ConflictingObject[];
}

/** A typed failure with a stable code; mapped to HTTP in exactly one place (api/src/http/problem.ts). */
export class PharosError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldError[] | undefined;
  readonly conflicts: ConflictingObject[] | undefined;
  constructor(code: ErrorCode, message: string, errors?: FieldError[], conflicts?: ConflictingObject[]) {
    super(message);
    this.name = 'PharosError';
    this.code = code;
    this.errors = errors;
    this.conflicts = conflicts;
  }
  get status(): number {
    return errorCodes[this.code];
  }
}

/** The resource does not exist, or the caller may not know that it exists. */
export const notFound = (what: string) => new PharosError('not_found', `${what} was not found.`);
