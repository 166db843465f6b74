import type { Alert } from '../../../contract/alert.schema.ts';
import type { Slo, SloStatus } from '../../../contract/slo.schema.ts';
import type { ApiClient } from '../api.client.ts';

/** An SLO with where it stands now, or why that could not be read. */
export interface SloWithStatus {
  slo: Slo;
  status?: SloStatus;
  error?: string;
}

/** Most status reads in flight at once. */
const PARALLEL = 6;

/** The SLOs of a team (or of every team the principal sees), each with GET /v1/slos/{id}/status. */
export async function loadSlos(api: ApiClient, teamId?: string): Promise<SloWithStatus[]> {
  const slos = await api.all<Slo>('/v1/slos', { team_id: teamId });
  const out: SloWithStatus[] = slos.map((slo) => ({ slo }));
  for (let i = 0; i < out.length; i += PARALLEL) {
    await Promise.all(out.slice(i, i + PARALLEL).map(async (row) => {
      try {
        row.status = await api.get<SloStatus>(`/v1/slos/${row.slo.id}/status`);
      } catch (e) {
        row.error = (e as Error).message;
      }
    }));
  }
  return out;
}

/** The alerts firing now, of a team or of every team the principal sees. */
export function loadFiringAlerts(api: ApiClient, teamId?: string): Promise<Alert[]> {
  return api.all<Alert>('/v1/alerts', { team_id: teamId, state: 'firing' });
}

/** An SLO is at risk when less than a quarter of its error budget is left (or the API says so). */
export const AT_RISK_BUDGET_PERCENT = 25;

export function sloAtRisk(row: SloWithStatus): boolean {
  const s = row.status;
  if (!s || s.status === 'no_data') return false;
  return s.status === 'at_risk' || s.status === 'breached' || s.error_budget.remaining_percent < AT_RISK_BUDGET_PERCENT;
}
