import { requireTeamAccess, visibleTeamIds, type Principal } from '../../auth/principal.ts';
import type { Alert, AlertDetail, AlertListQuery, AlertRuleStatus } from '../../contract/alert.schema.ts';
import { PharosError, notFound } from '../../contract/errors.ts';
import type { Db } from '../../db/database.ts';
import { decodeCursor, toPage } from '../../http/cursor.ts';
import { SpecRepository } from '../resources/spec.repository.ts';
import type { AlertInstanceRepository, AlertInstanceRow } from './alert-instance.repository.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** An instance row as the API shows it. */
function present(row: AlertInstanceRow): Alert {
  const last = (row.last_value ?? {}) as { value?: number | null; measurements?: Alert['measurements'] };
  return {
    id: row.id, rule_id: row.rule_id, team_id: row.team_id, severity: row.severity as Alert['severity'], state: row.state,
    labels: row.labels as Record<string, string>, annotations: row.annotations as Record<string, string>,
    since: iso(row.since)!, active_since: iso(row.active_since), pending_since: iso(row.pending_since), firing_since: iso(row.firing_since), resolved_at: iso(row.resolved_at),
    last_evaluated_at: iso(row.last_eval_at)!, last_outcome: row.last_outcome as Alert['last_outcome'], value: last.value ?? null, measurements: last.measurements ?? [],
  };
}

/** "key:value" filters as a label object; a malformed one is a bad request saying what to write. */
function labelFilter(label: string | string[] | undefined): Record<string, string> | undefined {
  if (label === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const pair of Array.isArray(label) ? label : [label]) {
    const i = pair.indexOf(':');
    if (i <= 0) throw new PharosError('validation_failed', `/label: "${pair}" is not key:value; write e.g. label=service:checkout.`, [{ pointer: '/label', message: 'Must be key:value, e.g. service:checkout.' }]);
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

/** Reads of alerts and rule evaluation status, scoped to the caller's teams (others' answer 404). */
export class AlertService {
  private readonly rules = new SpecRepository('alert_rules');

  constructor(
    private readonly db: Db,
    private readonly repo: AlertInstanceRepository,
  ) {}

  async list(p: Principal, q: AlertListQuery): Promise<{ items: Alert[]; next_cursor?: string }> {
    const limit = q.limit ?? 50;
    const rows = await this.repo.list(this.db, p.orgId, {
      teamIds: visibleTeamIds(p), teamId: q.team_id, state: q.state, ruleId: q.rule_id, severity: q.severity, labels: labelFilter(q.label), after: decodeCursor(q.cursor), limit,
    });
    return toPage(rows, limit, present);
  }

  async get(p: Principal, id: string): Promise<AlertDetail> {
    const row = await this.repo.get(this.db, p.orgId, id);
    if (!row) throw notFound('Alert');
    requireTeamAccess(p, row.team_id, 'read', 'Alert');
    const history = await this.repo.history(this.db, p.orgId, id);
    return {
      ...present(row),
      history: history.map((h) => ({ from: h.from_state as Alert['state'], to: h.to_state as Alert['state'], at: iso(h.at)!, reason: h.reason, value: ((h.value ?? {}) as { value?: number | null }).value ?? null })),
    };
  }

  async ruleStatus(p: Principal, ruleId: string): Promise<AlertRuleStatus> {
    const rule = await this.rules.get(this.db, p.orgId, ruleId);
    if (!rule) throw notFound('Alert rule');
    requireTeamAccess(p, rule.team_id, 'read', 'Alert rule');
    const [status, instances] = await Promise.all([this.repo.status(this.db, p.orgId, ruleId), this.repo.instancesForStatus(this.db, p.orgId, ruleId)]);
    return {
      rule_id: ruleId,
      enabled: (rule.spec as { enabled?: boolean }).enabled !== false,
      last_evaluated_at: status ? iso(status.last_eval_at) : null,
      evaluation_ms: status ? status.duration_ms : null,
      error: status?.error ?? null,
      no_data_reason: (status?.no_data_reason ?? null) as AlertRuleStatus['no_data_reason'],
      instances: instances.map(present),
    };
  }
}
