import type { CtyType } from '../codec/cty-type.model.ts';
import type { Diagnostic } from '../engine/diagnostics.model.ts';
import { pointerToPath } from './json-pointer.mapper.ts';

/** The API's RFC 9457 problem document (api/src/contract/errors.ts). */
export interface ApiProblem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  request_id?: string;
  errors?: { pointer: string; message: string }[];
}

/**
 * Turns an API error answer into diagnostics. Field errors become one diagnostic each with the
 * attribute path of their JSON pointer, so Terraform underlines the configuration line.
 */
export function problemToDiagnostics(operation: string, status: number, problem: ApiProblem | undefined, type?: CtyType, translatePointer: (pointer: string) => string = (p) => p): Diagnostic[] {
  const summary = `${operation}: ${problem?.title ?? `HTTP ${status}`}`;
  const ref = problem?.request_id ? ` (request id ${problem.request_id})` : '';
  if (status === 401) {
    return [
      {
        severity: 'error',
        summary: 'The Pharos API refused the token',
        detail: `${problem?.detail ?? 'Unauthorized.'}${ref} Set a valid API token in the provider block (token = …) or in PHAROS_TOKEN.`,
      },
    ];
  }
  const fieldErrors = problem?.errors ?? [];
  if (fieldErrors.length > 0) {
    return fieldErrors.map((e) => {
      const path = pointerToPath(translatePointer(e.pointer), type);
      return path.length > 0
        ? { severity: 'error' as const, summary, detail: `${e.message}${ref}`, path }
        : { severity: 'error' as const, summary, detail: `${e.message}${ref}` };
    });
  }
  return [{ severity: 'error', summary, detail: `${problem?.detail ?? 'The Pharos API answered with an error.'}${problem?.code ? ` [${problem.code}]` : ''}${ref}` }];
}
