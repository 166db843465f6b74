import { DiagnosticError, type Diagnostic } from '../engine/diagnostics.model.ts';

/** A failed API call: stable code (the API's, or unreachable/unauthorized), HTTP status, and ready-made diagnostics. */
export class ApiError extends DiagnosticError {
  constructor(
    code: string,
    readonly status: number | undefined,
    diagnostics: readonly Diagnostic[],
  ) {
    super(code, diagnostics);
    this.name = 'ApiError';
  }
}
