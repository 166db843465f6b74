import type { Db } from '../../db/database.ts';
import type { SubjectKind } from '../../contract/alert-expression/subject-kinds.ts';

/** A subject a rule may name: its id, name and, for monitors, its service's name; for edges (name: the dependent service's), the service depended on. */
export interface NameableSubject {
  id: string;
  name: string;
  service_id?: string | null;
  service_name?: string | null;
  depends_on_id?: string;
  depends_on_name?: string;
}

/** A rule that names a subject. */
export interface NamingRule {
  id: string;
  name: string;
  team_id: string;
  team_name: string;
}

/** SQL of alert rule references: the subjects a team's rules can name, and who names what. */
export class AlertRuleReferenceRepository {
  /** Every subject of a kind owned by a team (what a rule of that team can name). */
  async subjectsOfTeam(db: Db, orgId: string, teamId: string, kind: SubjectKind): Promise<NameableSubject[]> {
    switch (kind) {
      case 'monitor':
        return db
          .selectFrom('monitors')
          .innerJoin('services', (j) => j.onRef('services.id', '=', 'monitors.service_id').onRef('services.org_id', '=', 'monitors.org_id'))
          .select(['monitors.id', 'monitors.name', 'monitors.service_id', 'services.name as service_name'])
          .where('monitors.org_id', '=', orgId)
          .where('monitors.team_id', '=', teamId)
          .orderBy('monitors.name')
          .execute();
      case 'service':
        return db.selectFrom('services').select(['id', 'name']).where('org_id', '=', orgId).where('team_id', '=', teamId).orderBy('name').execute();
      case 'slo':
        return db.selectFrom('slos').select(['id', 'name']).where('org_id', '=', orgId).where('team_id', '=', teamId).orderBy('name').execute();
      case 'edge':
        // An edge belongs to its dependent service's team; the service it depends on may be any team's.
        return db
          .selectFrom('dependencies as d')
          .innerJoin('services as s', (j) => j.onRef('s.id', '=', 'd.service_id').onRef('s.org_id', '=', 'd.org_id'))
          .innerJoin('services as t', (j) => j.onRef('t.id', '=', 'd.depends_on_service_id').onRef('t.org_id', '=', 'd.org_id'))
          .select(['d.id', 's.name', 's.id as service_id', 's.name as service_name', 't.id as depends_on_id', 't.name as depends_on_name'])
          .where('d.org_id', '=', orgId)
          .where('d.team_id', '=', teamId)
          .orderBy('s.name')
          .orderBy('t.name')
          .execute();
    }
  }

  /** Replaces the stored references of a rule. */
  async replace(db: Db, orgId: string, ruleId: string, subjects: ReadonlyArray<{ type: SubjectKind; id: string }>): Promise<void> {
    await db.deleteFrom('alert_rule_references').where('org_id', '=', orgId).where('rule_id', '=', ruleId).execute();
    const unique = [...new Map(subjects.map((s) => [`${s.type}:${s.id}`, s])).values()];
    if (unique.length) {
      await db.insertInto('alert_rule_references').values(unique.map((s) => ({ org_id: orgId, rule_id: ruleId, subject_type: s.type, subject_id: s.id }))).execute();
    }
  }

  /** Records what the evaluator needs to know of the rule: its selector's subject kind (none: no selector), and whether time alone moves it. */
  async replaceTraits(db: Db, orgId: string, ruleId: string, traits: { selectorKind: SubjectKind | null; timeBased: boolean }): Promise<void> {
    await db
      .insertInto('alert_rule_traits')
      .values({ org_id: orgId, rule_id: ruleId, selector_kind: traits.selectorKind, time_based: traits.timeBased })
      .onConflict((oc) => oc.column('rule_id').doUpdateSet({ selector_kind: traits.selectorKind, time_based: traits.timeBased }))
      .execute();
  }

  /** The rules that name any of the subjects, with their teams, by rule name. */
  async rulesNaming(db: Db, orgId: string, subjects: ReadonlyArray<{ type: SubjectKind; id: string }>): Promise<Array<NamingRule & { subject_type: SubjectKind; subject_id: string }>> {
    if (subjects.length === 0) return [];
    return db
      .selectFrom('alert_rule_references as r')
      .innerJoin('alert_rules', 'alert_rules.id', 'r.rule_id')
      .innerJoin('teams', 'teams.id', 'alert_rules.team_id')
      .select(['alert_rules.id', 'alert_rules.name', 'alert_rules.team_id', 'teams.name as team_name', 'r.subject_type', 'r.subject_id'])
      .where('r.org_id', '=', orgId)
      .where((eb) => eb.or(subjects.map((s) => eb.and([eb('r.subject_type', '=', s.type), eb('r.subject_id', '=', s.id)]))))
      .orderBy('alert_rules.name')
      .execute();
  }

}
