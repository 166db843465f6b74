import type { AttributePath } from './attribute-path.model.ts';

export type Severity = 'error' | 'warning';

/** A user-facing problem: what went wrong (summary), what to do (detail), where (path). */
export interface Diagnostic {
  readonly severity: Severity;
  readonly summary: string;
  readonly detail: string;
  readonly path?: AttributePath;
}

/** Collects diagnostics during one RPC; errors never cross the protocol as exceptions. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  /** Records an error. */
  error(summary: string, detail = '', path?: AttributePath): void {
    this.items.push(path ? { severity: 'error', summary, detail, path } : { severity: 'error', summary, detail });
  }

  /** Records a warning. */
  warning(summary: string, detail = '', path?: AttributePath): void {
    this.items.push(path ? { severity: 'warning', summary, detail, path } : { severity: 'warning', summary, detail });
  }

  /** Appends diagnostics collected elsewhere. */
  append(items: readonly Diagnostic[]): void {
    this.items.push(...items);
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/** An error that already knows its diagnostics (API failures); the engine unpacks it instead of wrapping it. */
export class DiagnosticError extends Error {
  constructor(
    readonly code: string,
    readonly diagnostics: readonly Diagnostic[],
  ) {
    super(diagnostics.map((d) => d.summary).join('; '));
    this.name = 'DiagnosticError';
  }
}

/** Turns anything a handler threw into diagnostics, with a summary saying which operation failed. */
export function diagnosticsFromError(err: unknown, operation: string): Diagnostic[] {
  if (err instanceof DiagnosticError) return [...err.diagnostics];
  const message = err instanceof Error ? err.message : String(err);
  return [{ severity: 'error', summary: `${operation} failed`, detail: message }];
}
