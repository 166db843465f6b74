import { analyzeAlertExpression, closestNames, isTimeBased, describeProblem, didYouMean, problemFieldError, subjectKinds, type SubjectKind, type SubjectReference } from '../../contract/alert-expression/index.ts';
import { PharosError, type FieldError } from '../../contract/errors.ts';
import type { KindContext } from '../resources/spec-kind.ts';
import { AlertRuleReferenceRepository, type NameableSubject } from './alert-rule-reference.repository.ts';

// Name resolution of alert rules: a rule names subjects of its own team only (another team's monitor
// answers like a missing one, so existence does not leak), and the resolved ids are stored so that a
// named subject cannot be deleted, renamed or moved away while a rule names it.

const repository = () => new AlertRuleReferenceRepository();

/** The subject's id, and the other subjects its text names (the service of `monitor("x", service="s")`). */
type Resolved = { ok: true; id: string; also?: Array<{ type: SubjectKind; id: string }> } | { ok: false; message: string };

const withPosition = (ref: SubjectReference, message: string): FieldError => problemFieldError({ stage: 'type', message, span: ref.span });

function missing(kind: SubjectKind, name: string, team: string, candidates: NameableSubject[]): string {
  const label = subjectKinds[kind].label;
  const close = closestNames(name, candidates.map((c) => c.name));
  const hint = close.length ? didYouMean(close) : candidates.length ? '' : ` Team "${team}" has no ${label}s yet.`;
  return `${label} "${name}" does not exist in team "${team}" (a rule names only its own team's ${label}s).${hint}`;
}

/** How each subject kind's name is found among the team's subjects; a kind without an entry is a compile error. */
const resolvers: Record<SubjectKind, (ref: SubjectReference, team: string, candidates: NameableSubject[]) => Resolved> = {
  monitor(ref, team, candidates) {
    const named = candidates.filter((c) => c.name === ref.name);
    const matching = ref.service === undefined ? named : named.filter((c) => c.service_name === ref.service);
    const [only] = matching;
    if (only && matching.length === 1) {
      // The service's name is part of the text too: renaming that service must be refused like renaming the monitor.
      return { ok: true, id: only.id, ...(ref.service !== undefined && only.service_id ? { also: [{ type: 'service' as const, id: only.service_id }] } : {}) };
    }
    if (matching.length > 1) {
      const services = matching.map((m) => `"${m.service_name}"`).join(' and ');
      return { ok: false, message: `monitor "${ref.name}" is ambiguous: services ${services} of team "${team}" each have one. Say which: monitor("${ref.name}", service="${matching[0]!.service_name}").` };
    }
    if (ref.service !== undefined && named.length) {
      return { ok: false, message: `service "${ref.service}" of team "${team}" has no monitor "${ref.name}"; monitors of that name belong to ${named.map((m) => `"${m.service_name}"`).join(', ')}.` };
    }
    return { ok: false, message: missing('monitor', ref.name, team, candidates) };
  },
  service: (ref, team, candidates) => exact(ref, team, candidates),
  slo: (ref, team, candidates) => exact(ref, team, candidates),
  edge: resolveEdge,
};

/**
 * `edge("from", "to")` among the team's edges (an edge belongs to its dependent service's team).
 * Both services' names are in the text too: renaming or deleting either is refused like the edge.
 */
function resolveEdge(ref: SubjectReference, team: string, candidates: NameableSubject[]): Resolved {
  const to = ref.dependsOn ?? '';
  const text = `edge("${ref.name}", "${to}")`;
  const from = candidates.filter((c) => c.name === ref.name);
  const found = from.find((c) => c.depends_on_name === to);
  if (found) return { ok: true, id: found.id, also: [{ type: 'service', id: found.service_id! }, { type: 'service', id: found.depends_on_id! }] };
  if (from.length) {
    const targets = from.map((c) => c.depends_on_name!);
    const close = closestNames(to, targets);
    return { ok: false, message: `${text}: service "${ref.name}" does not depend on "${to}"; it depends on ${targets.map((t) => `"${t}"`).join(', ')}.${close.length ? didYouMean(close) : ''} Add the dependency first (POST /v1/services/{service_id}/dependencies), or name one of these.` };
  }
  const dependents = [...new Set(candidates.map((c) => c.name))];
  const close = closestNames(ref.name, dependents);
  const hint = close.length ? didYouMean(close) : dependents.length ? '' : ` Team "${team}" has no dependency edges yet.`;
  return { ok: false, message: `${text}: no service "${ref.name}" of team "${team}" has dependencies (an edge belongs to its dependent service's team, and a rule names only its own team's edges).${hint}` };
}

function exact(ref: SubjectReference, team: string, candidates: NameableSubject[]): Resolved {
  const found = candidates.find((c) => c.name === ref.name);
  return found ? { ok: true, id: found.id } : { ok: false, message: missing(ref.kind, ref.name, team, candidates) };
}

/**
 * The services an `edges(from=…, to=…)` selector names, among the team's edges: each name must be
 * at one end of some edge of the team (a typo would otherwise select nothing, silently). Their ids
 * are stored like a service("…")'s, so renaming them is refused while the rule names them.
 */
function resolveEdgeFilters(filters: Readonly<Record<string, string>>, team: string, edges: NameableSubject[]): { ok: true; services: string[] } | { ok: false; message: string } {
  const services: string[] = [];
  const ends = [
    { filter: 'from', name: filters.from, names: (e: NameableSubject) => e.name, id: (e: NameableSubject) => e.service_id!, words: 'depends on nothing in team' },
    { filter: 'to', name: filters.to, names: (e: NameableSubject) => e.depends_on_name!, id: (e: NameableSubject) => e.depends_on_id!, words: 'is depended on by no service of team' },
  ];
  for (const end of ends) {
    if (end.name === undefined) continue;
    const found = edges.find((e) => end.names(e) === end.name);
    if (found) {
      services.push(end.id(found));
      continue;
    }
    const close = closestNames(end.name, edges.map(end.names));
    const hint = close.length ? didYouMean(close) : edges.length ? '' : ` Team "${team}" has no dependency edges yet.`;
    return { ok: false, message: `${end.filter}="${end.name}": service "${end.name}" ${end.words} "${team}" (a rule sees only its own team's edges: those of its services).${hint}` };
  }
  return { ok: true, services };
}

/**
 * Resolves the names of a valid expression among the rule team's subjects and stores the result as
 * the rule's references. Unknown names throw one validation error listing each, with its position
 * and close names; nothing is stored then (the caller's transaction rolls back).
 */
export async function storeRuleReferences(ctx: KindContext, rule: { id: string; org_id: string; team_id: string }, team: { name: string }, expression: string): Promise<void> {
  const analyzed = analyzeAlertExpression(expression);
  if (!analyzed.ok) {
    // The kind's rules() refused it already; stay safe if called another way.
    throw new PharosError('validation_failed', `/expression: ${analyzed.problems.map(describeProblem).join(' ')}`, analyzed.problems.map((p) => problemFieldError(p)));
  }
  const { subjects, selector } = analyzed.expression;
  const errors: FieldError[] = [];
  if (selector?.filters.team !== undefined && selector.filters.team !== team.name) {
    errors.push(problemFieldError({ stage: 'type', span: selector.span, message: `team="${selector.filters.team}" is not this rule's team: a rule of team "${team.name}" sees only its own team's subjects. Write team="${team.name}", or create the rule in team "${selector.filters.team}".` }));
  }
  const kinds = [...new Set(subjects.map((s) => s.kind))];
  const candidates = new Map<SubjectKind, NameableSubject[]>();
  for (const kind of kinds) candidates.set(kind, await repository().subjectsOfTeam(ctx.trx, rule.org_id, rule.team_id, kind));
  const resolved: Array<{ type: SubjectKind; id: string }> = [];
  for (const ref of subjects) {
    const result = resolvers[ref.kind](ref, team.name, candidates.get(ref.kind) ?? []);
    if (result.ok) resolved.push({ type: ref.kind, id: result.id }, ...(result.also ?? []));
    else errors.push(withPosition(ref, result.message));
  }
  if (selector?.kind === 'edge' && (selector.filters.from !== undefined || selector.filters.to !== undefined)) {
    const edges = candidates.get('edge') ?? (await repository().subjectsOfTeam(ctx.trx, rule.org_id, rule.team_id, 'edge'));
    const result = resolveEdgeFilters(selector.filters, team.name, edges);
    if (result.ok) resolved.push(...result.services.map((id) => ({ type: 'service' as const, id })));
    else errors.push(problemFieldError({ stage: 'type', span: selector.span, message: `${selector.text}: ${result.message}` }));
  }
  if (errors.length) {
    throw new PharosError('validation_failed', `/expression: ${errors.map((e) => e.message).join(' ')}`, errors);
  }
  await repository().replace(ctx.trx, rule.org_id, rule.id, resolved);
  await repository().replaceTraits(ctx.trx, rule.org_id, rule.id, { selectorKind: selector?.kind ?? null, timeBased: isTimeBased(analyzed.expression.ast) });
}

/** What a change to a named subject would do to the rules that name it. */
export type SubjectChange = 'delete' | 'rename' | 'move' | 'retarget';

const changeWords: Record<SubjectChange, string> = {
  delete: 'deleting it would leave them naming nothing',
  rename: 'renaming it would leave their expressions naming a subject that no longer exists (rules name subjects by name)',
  move: 'moving it to another team or service would take it out of their reach (a rule names only its own team\'s subjects)',
  retarget: 'pointing it at another service would leave their expressions naming an edge that no longer exists (rules name an edge by its two services)',
};

/**
 * Refuses (409 listing the rules) a change to subjects that alert rules name. `subjects` are the
 * subject itself and anything that goes with it (a service's monitors move with the service).
 */
export async function refuseWhileNamed(ctx: KindContext, orgId: string, subject: { type: SubjectKind; name: string }, subjects: ReadonlyArray<{ type: SubjectKind; id: string }>, change: SubjectChange): Promise<void> {
  const rules = await repository().rulesNaming(ctx.trx, orgId, subjects);
  if (!rules.length) return;
  const byRule = [...new Map(rules.map((r) => [r.id, r])).values()];
  const label = subjectKinds[subject.type].label;
  const Label = label.charAt(0).toUpperCase() + label.slice(1);
  throw new PharosError(
    'conflict',
    `${Label} "${subject.name}" is named by ${byRule.length} alert rule(s): ${byRule.map((r) => `"${r.name}" (${r.id}, team "${r.team_name}")`).join(', ')}; ${changeWords[change]}. ` +
      'Change those rules\' expressions or delete the rules first (PUT or DELETE /v1/alert-rules/{id}).',
    undefined,
    byRule.map((r) => ({ type: 'alert_rule', id: r.id, name: r.name, team_id: r.team_id, team_name: r.team_name, relation: `names ${r.subject_type === subject.type ? `this ${label}` : `a ${subjectKinds[r.subject_type].label} of this ${label}`} in its expression` })),
  );
}
