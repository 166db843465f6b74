import type { CheckResult } from '../../../contract/result.schema.ts';
import { when } from '../format.ts';

/** The last failed results: when, where, the error, the assertions that failed and the trace id to look up in the tracing system. */
export function MonitorFailures({ failures }: { failures: readonly CheckResult[] }) {
  if (failures.length === 0) return <p>No failed result is kept for this monitor.</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Last failures">
      <table class="failures">
        <thead><tr><th scope="col">started</th><th scope="col">region</th><th scope="col">status</th><th scope="col">error</th><th scope="col">assertions</th><th scope="col">trace id</th></tr></thead>
        <tbody>
          {failures.map((r) => (
            <tr key={r.id} data-result={r.id}>
              <td>{when(r.started_at)}</td>
              <td>{r.region}</td>
              <td><span class={`badge state-${r.status}`}>{r.status}</span>{r.status_code ? ` HTTP ${r.status_code}` : ''}</td>
              <td class="failure-error">{r.error ? <><code>{r.error.code}</code> {r.error.message}</> : '—'}</td>
              <td>
                {r.assertions && r.assertions.length > 0 ? (
                  <ul class="assertions">
                    {r.assertions.map((a, i) => (
                      <li key={i} class={a.passed ? 'passed' : 'failed'}>
                        {a.passed ? 'passed' : 'failed'}: {a.source}{a.path ? ` ${a.path}` : ''} {a.operator.replace(/_/g, ' ')} {a.target ?? ''}{a.actual !== undefined ? ` (was ${a.actual})` : ''}
                      </li>
                    ))}
                  </ul>
                ) : '—'}
              </td>
              <td class="trace">{r.trace_id ? <code>{r.trace_id}</code> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
