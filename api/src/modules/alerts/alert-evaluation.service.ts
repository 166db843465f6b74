import { analyzeAlertExpression, type SelectorReference, type SubjectReference } from '../../contract/alert-expression/index.ts';
import type { Db } from '../../db/database.ts';
import { isDatabaseUnavailable } from '../../db/db-errors.ts';
import { newId } from '../../shared/ids.ts';
import { SpecRepository } from '../resources/spec.repository.ts';
import { databasePort, type AlertDataSources } from './alert-data.port.ts';
import type { AlertDataPort } from './expression.evaluator.ts';
import { initialInstance, instanceKey, instanceSpecOf, stepInstance, type InstanceSpec, type InstanceState, type InstanceStateName, type InstanceTransition, type RuleTiming } from './alert-instance.machine.ts';
import type { AlertHistoryWrite, AlertInstanceRepository, AlertInstanceRow, AlertInstanceWrite } from './alert-instance.repository.ts';
import type { AlertDataRepository, SubjectRow } from './alert-data.repository.ts';
import { evaluateExpression, type Measurement, type Subject } from './expression.evaluator.ts';
import type { Outcome } from './evaluate.logic.ts';

/** Why an instance changed: the machine's reasons, the rule being disabled or deleted, the subject leaving its selector. */
export type AlertChangeReason = InstanceTransition['reason'] | 'rule_disabled' | 'rule_deleted' | 'subject_gone';

/** One change of an alert instance's state, as the event log and the alert history record it. */
export interface AlertStateChange {
  orgId: string;
  ruleId: string;
  instanceId: string;
  teamId: string;
  severity: string;
  labels: Record<string, string>;
  from: InstanceStateName;
  to: InstanceStateName;
  at: Date;
  reason: AlertChangeReason;
  value: number | null;
  /** The one subject the instance is about, when it has one. */
  subject?: { kind: string; id: string } | undefined;
}

/** Writes alert state changes to the event log inside the evaluation's transaction (its last write). */
export type AlertEventSink = (trx: Db, changes: readonly AlertStateChange[]) => Promise<void>;

/** What one rule evaluation did. */
export interface RuleEvaluation {
  ruleId: string;
  evaluated: number;
  changes: AlertStateChange[];
  error: string | null;
  durationMs: number;
}

/**
 * Which subjects of a selector rule to evaluate: the event consumer passes the monitors and
 * services whose state changed (`monitor:<id>`, `service:<id>`), so a rule over 1,000 monitors costs
 * one binding per changed monitor, not 1,000. Without a scope every binding is evaluated (the tick).
 */
export interface EvaluationScope {
  subjects: ReadonlySet<string>;
}

/**
 * Where one evaluation's state changes go instead of the service's sink: the event consumer
 * collects a whole batch's and appends them once, at the end of its transaction, so the
 * organization's event-append lock (which ingest needs too) is held only from there to the commit.
 */
export type ChangeCollector = AlertStateChange[];

interface Binding {
  /** Identity labels, hashed into the instance key (ids, so renames keep the instance). */
  identity: Record<string, string>;
  labels: Record<string, string>;
  /** The subject's tags: labels too, below the rule's and the fixed ones. */
  tags: Record<string, string>;
  subject?: Subject;
  /** The one subject the instance is about (a selector's subject, or the one subject a rule names). */
  about?: { kind: string; id: string } | undefined;
}

interface RuleSpec extends RuleTiming {
  expression: string;
  severity?: string;
  labels?: Record<string, string>;
  enabled?: boolean;
  runbook_url?: string;
  message?: string;
}

const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));
const toMs = (d: Date | string | null) => (d === null ? null : new Date(d).getTime());

/** The machine's view of a stored instance. */
function machineState(row: AlertInstanceRow): InstanceState {
  return { state: row.state, since: toMs(row.since)!, active_at: toMs(row.active_since), fired_at: toMs(row.firing_since), false_since: toMs(row.false_since), no_data_since: toMs(row.no_data_since) };
}

/** An edge's instance labels: its dependent service (the owner routing pages go to), the service depended on, and the edge itself. */
function edgeLabels(from: string, to: string): Record<string, string> {
  return { service: from, depends_on: to, edge: `${from} → ${to}` };
}

function subjectLabels(row: SubjectRow): Record<string, string> {
  if (row.kind === 'edge') return edgeLabels(row.service_name ?? '', row.depends_on_name ?? '');
  return row.kind === 'monitor' ? { monitor: row.name, ...(row.service_name ? { service: row.service_name } : {}) } : { service: row.name };
}

/**
 * Evaluates alert rules: loads a rule (its stored settings through instanceSpecOf), expands its
 * selector into one binding per subject, evaluates the expression for each, steps each instance's
 * state machine, and writes changed instances, their history, the rule's status and the state
 * change events in one transaction. The rule row is locked for the evaluation, so two replicas (or
 * the event consumer and the tick) never evaluate one rule at once.
 */
export class AlertEvaluationService {
  private readonly rules = new SpecRepository('alert_rules');
  /** Parsed expressions by text (rules rarely change; the tree is read-only). */
  private readonly analyzed = new Map<string, ReturnType<typeof analyzeAlertExpression>>();

  constructor(
    private readonly db: Db,
    private readonly instances: AlertInstanceRepository,
    private readonly data: AlertDataRepository,
    private readonly sources: AlertDataSources,
    private readonly sink: AlertEventSink | undefined,
    private readonly observe: (seconds: number) => void = () => {},
    private readonly failed: (ruleId: string, error: unknown) => void = () => {},
  ) {}

  /** Writes collected state changes to the event log (the last write of the collector's transaction). */
  async flushChanges(trx: Db, changes: readonly AlertStateChange[]): Promise<void> {
    if (changes.length && this.sink) await this.sink(trx, changes);
  }

  /** Evaluates one rule in its own transaction. */
  async evaluateRule(orgId: string, ruleId: string, now: number = Date.now()): Promise<RuleEvaluation | undefined> {
    return this.db.transaction().execute((trx) => this.evaluateIn(trx, orgId, ruleId, now));
  }

  /**
   * Evaluates one rule inside the caller's transaction (the event consumer's, whose cursor moves
   * with it). A rule whose evaluation fails (a corrupt stored setting, a failed query) has its
   * writes undone, its status shows the error, and the caller's transaction goes on with the other
   * rules; only a database that is gone fails the caller (its batch is offered again).
   */
  async evaluateIn(trx: Db, orgId: string, ruleId: string, now: number, scope?: EvaluationScope, collect?: ChangeCollector): Promise<RuleEvaluation | undefined> {
    const started = performance.now();
    try {
      const result = await this.instances.inSavepoint(trx, () => this.evaluateUnguarded(trx, orgId, ruleId, now, started, scope, collect === undefined));
      if (collect && result) collect.push(...result.changes);
      return result;
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      const message = `the evaluation failed: ${error instanceof Error ? error.message : String(error)}`;
      const durationMs = performance.now() - started;
      await this.instances.saveStatusError(trx, { rule_id: ruleId, org_id: orgId, last_eval_at: new Date(now), duration_ms: Math.round(durationMs * 1000) / 1000, error: message });
      this.failed(ruleId, error);
      return { ruleId, evaluated: 0, changes: [], error: message, durationMs };
    }
  }

  private async evaluateUnguarded(trx: Db, orgId: string, ruleId: string, now: number, started: number, requested: EvaluationScope | undefined, sinkNow: boolean): Promise<RuleEvaluation | undefined> {
    const row = await this.rules.get(trx, orgId, ruleId, true);
    if (!row) return undefined;
    const spec = row.spec as unknown as RuleSpec;
    const timing = instanceSpecOf(spec);
    const analyzed = spec.enabled !== false ? this.analyze(spec.expression) : undefined;
    // A scope narrows only a valid, enabled selector rule; anything else is evaluated whole.
    const scope = requested && analyzed?.ok && analyzed.expression.selector ? [...requested.subjects].filter((k) => k.startsWith(`${analyzed.expression.selector!.kind}:`)) : undefined;
    const existing = scope
      ? await this.instances.instancesByKeys(trx, orgId, ruleId, scope.map((subject) => instanceKey(ruleId, { subject })))
      : await this.instances.instancesOfRule(trx, orgId, ruleId);
    const port = analyzed?.ok ? databasePort(trx, orgId, row.team_id, now, this.sources) : undefined;
    // A state change of subjects this selector does not match, and has no instance for, changes
    // nothing: no write and no status (a changed monitor is offered to every selector rule over
    // monitors, most of which select other services' monitors).
    const scopedBindings = scope && port && analyzed?.ok ? await this.bindings(trx, orgId, row.team_id, port, analyzed.expression.subjects, analyzed.expression.selector, scope) : undefined;
    if (scopedBindings?.length === 0 && existing.length === 0) {
      const durationMs = performance.now() - started;
      this.observe(durationMs / 1000);
      return { ruleId, evaluated: 0, changes: [], error: null, durationMs };
    }
    const team = (await this.instances.teamName(trx, orgId, row.team_id)) ?? row.team_id;
    const base: Record<string, string> = { ...(spec.labels ?? {}), alertname: row.name, severity: spec.severity ?? 'error', team };

    let error: string | null = null;
    let noDataReason: string | null = null;
    const results = new Map<string, { binding: Binding; outcome: Outcome; measurements: Measurement[] }>();
    if (analyzed) {
      if (!analyzed.ok) error = `the stored expression does not check: ${analyzed.problems.map((p) => p.message).join(' ')}`;
      else {
        const bindings = scopedBindings ?? (await this.bindings(trx, orgId, row.team_id, port!, analyzed.expression.subjects, analyzed.expression.selector, scope));
        // A selector's subjects: their states in two queries, not two per subject.
        if (bindings.length > 1) await port!.prime?.(bindings.flatMap((b) => (b.subject ? [b.subject] : [])));
        for (const binding of bindings) {
          const result = await evaluateExpression(analyzed.expression.ast, spec.expression, { port: port!, now, binding: binding.subject });
          if (result.outcome === 'error' && result.value.kind === 'error') error ??= `${binding.subject ? `${binding.subject.name}: ` : ''}${result.value.message}`;
          if (result.value.kind === 'no_data') noDataReason ??= result.value.reason;
          results.set(instanceKey(ruleId, binding.identity), { binding, outcome: result.outcome, measurements: result.measurements });
        }
      }
    }

    const writes: AlertInstanceWrite[] = [];
    const history: AlertHistoryWrite[] = [];
    const changes: AlertStateChange[] = [];
    const touched: string[] = [];
    const byKey = new Map(existing.map((r) => [r.instance_key, r]));
    const keys = new Set([...byKey.keys(), ...results.keys()]);
    for (const key of keys) {
      const prev = byKey.get(key);
      const result = results.get(key);
      let step: { next: InstanceState; transitions: Array<{ from: InstanceStateName; to: InstanceStateName; at: number; reason: AlertChangeReason }> };
      if (result) step = stepInstance(prev ? machineState(prev) : initialInstance(now), result.outcome, now, timing);
      else if (!prev) continue;
      else step = this.retire(machineState(prev), now, spec.enabled === false ? 'rule_disabled' : 'subject_gone', timing);
      // An instance that never left inactive is not stored: rules over many subjects stay cheap.
      if (!prev && step.transitions.length === 0) continue;
      const id = prev?.id ?? newId('alert');
      const value = result?.measurements.find((m) => m.value !== null)?.value ?? null;
      const labels = result ? { ...result.binding.tags, ...base, ...result.binding.labels } : (prev!.labels as Record<string, string>);
      const lastValue = result ? { value, measurements: result.measurements } : prev?.last_value ?? null;
      const about = result?.binding.about ?? (prev?.subject_kind && prev.subject_id ? { kind: prev.subject_kind, id: prev.subject_id } : undefined);
      // Unchanged instances only get their evaluation time moved; a new outcome, value or label set is written.
      const changed = step.transitions.length > 0 || !prev || (result !== undefined && prev.last_outcome !== result.outcome) || JSON.stringify(prev.labels) !== JSON.stringify(labels) || JSON.stringify(prev.last_value) !== JSON.stringify(lastValue);
      if (changed || !sameMachine(prev!, step.next)) {
        const next = step.next;
        const pendingTransition = step.transitions.find((t) => t.to === 'pending');
        writes.push({
          id, org_id: orgId, rule_id: ruleId, team_id: row.team_id, instance_key: key, severity: spec.severity ?? 'error', labels,
          state: next.state, since: new Date(next.since), active_since: toDate(next.active_at),
          pending_since: next.state === 'pending' ? (pendingTransition ? new Date(pendingTransition.at) : prev?.pending_since ?? new Date(next.since)) : null,
          firing_since: toDate(next.fired_at),
          resolved_at: next.state === 'resolved' ? new Date(next.since) : null,
          false_since: toDate(next.false_since), no_data_since: toDate(next.no_data_since), last_eval_at: new Date(now),
          last_outcome: result?.outcome ?? 'false', last_value: lastValue,
          annotations: { ...(spec.runbook_url ? { runbook_url: spec.runbook_url } : {}), ...(spec.message ? { message: spec.message } : {}) },
          subject_kind: about?.kind ?? null, subject_id: about?.id ?? null,
        });
      } else touched.push(id);
      for (const t of step.transitions) {
        history.push({ id: newId('alert_history'), org_id: orgId, instance_id: id, rule_id: ruleId, from_state: t.from, to_state: t.to, at: new Date(t.at), reason: t.reason, value: { value } });
        changes.push({ orgId, ruleId, instanceId: id, teamId: row.team_id, severity: spec.severity ?? 'error', labels, from: t.from, to: t.to, at: new Date(t.at), reason: t.reason, value, ...(about ? { subject: about } : {}) });
      }
    }
    await this.instances.saveInstances(trx, writes);
    await this.instances.touchInstances(trx, orgId, touched, new Date(now));
    await this.instances.addHistory(trx, history);
    const durationMs = performance.now() - started;
    await this.instances.saveStatus(trx, { rule_id: ruleId, org_id: orgId, last_eval_at: new Date(now), duration_ms: Math.round(durationMs * 1000) / 1000, error, instances: scope ? null : keys.size, no_data_reason: noDataReason });
    if (changes.length && this.sink && sinkNow) await this.sink(trx, changes);
    this.observe(durationMs / 1000);
    return { ruleId, evaluated: results.size, changes, error, durationMs };
  }

  private analyze(expression: string): ReturnType<typeof analyzeAlertExpression> {
    let result = this.analyzed.get(expression);
    if (!result) {
      result = analyzeAlertExpression(expression);
      if (this.analyzed.size >= 10_000) this.analyzed.clear();
      this.analyzed.set(expression, result);
    }
    return result;
  }

  /** Ends an instance whose rule is disabled or whose subject no longer matches: firing resolves, pending returns to inactive (always recorded). */
  private retire(prev: InstanceState, now: number, reason: AlertChangeReason, timing: InstanceSpec) {
    const step = stepInstance(prev, 'false', now, { ...timing, keep_firing_for_ms: 0 });
    return { next: step.next, transitions: step.transitions.map((t) => ({ ...t, reason })) };
  }

  /**
   * One binding per subject a selector matches (among the scope's subjects when given); one binding
   * without a selector (labelled with the subject it names, when it names one).
   */
  private async bindings(trx: Db, orgId: string, teamId: string, port: AlertDataPort, subjects: SubjectReference[], selector: SelectorReference | null, scope: string[] | undefined): Promise<Binding[]> {
    if (!selector) {
      const labels: Record<string, string> = {};
      let tags: Record<string, string> = {};
      let about: Binding['about'];
      const monitors = [...new Set(subjects.filter((s) => s.kind === 'monitor').map((s) => s.name))];
      const services = [...new Set(subjects.filter((s) => s.kind === 'service').map((s) => s.name))];
      const edges = [...new Map(subjects.filter((s) => s.kind === 'edge').map((s) => [`${s.name}\u0000${s.dependsOn}`, s])).values()];
      if (monitors.length === 1) labels.monitor = monitors[0]!;
      if (services.length === 1) labels.service = services[0]!;
      // The one subject the rule is about gives its tags (through the port: its memo answers the
      // expression's own monitor(…), service(…) or edge(…) without a second query). One edge without
      // a monitor makes the rule about the edge, even beside services (typically its own two ends:
      // `down(edge("a", "b")) and up(service("b"))` is "a cannot reach b").
      const one =
        monitors.length === 0 && edges.length === 1
          ? edges[0]!
          : monitors.length === 1
            ? subjects.find((s) => s.kind === 'monitor')!
            : monitors.length === 0 && edges.length === 0 && services.length === 1
              ? subjects.find((s) => s.kind === 'service')!
              : undefined;
      if (one) {
        const subject = await port.subject(one.kind, one.name, one.service, one.dependsOn);
        if (subject?.service && !labels.service) labels.service = subject.service;
        tags = subject?.tags ?? {};
        if (subject) about = { kind: subject.kind, id: subject.id };
        if (one.kind === 'edge') Object.assign(labels, edgeLabels(one.name, one.dependsOn!));
      }
      return [{ identity: {}, labels, tags, about }];
    }
    const ids = scope?.map((k) => k.slice(k.indexOf(':') + 1));
    const rows =
      selector.kind === 'monitor'
        ? await this.data.selectMonitors(trx, orgId, teamId, selector.filters, ids)
        : selector.kind === 'edge'
          ? await this.data.selectEdges(trx, orgId, teamId, selector.filters, ids)
          : await this.data.selectServices(trx, orgId, teamId, selector.filters, ids);
    return rows.map((r) => ({ identity: { subject: `${r.kind}:${r.id}` }, labels: subjectLabels(r), tags: r.tags, subject: { kind: r.kind, id: r.id, name: r.name }, about: { kind: r.kind, id: r.id } }));
  }
}

function sameMachine(row: AlertInstanceRow, next: InstanceState): boolean {
  return row.state === next.state && toMs(row.since) === next.since && toMs(row.active_since) === next.active_at && toMs(row.firing_since) === next.fired_at && toMs(row.false_since) === next.false_since && toMs(row.no_data_since) === next.no_data_since;
}
