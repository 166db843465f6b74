import { sql } from 'kysely';
import { PharosError, type FieldError } from '../../contract/errors.ts';
import { RoutingPolicy, RoutingPolicyInput, type RoutingPolicyInput as Input } from '../../contract/alerting.schema.ts';
import { resolveMany, resolveTeam } from '../resources/references.ts';
import { regexFieldError } from '../resources/spec-hooks.ts';
import type { KindContext, SpecKind } from '../resources/spec-kind.ts';

async function checkParent(ctx: KindContext, doc: Input, teamId: string, selfId: string | undefined): Promise<void> {
  if (!doc.parent_id) return;
  const invalid = (message: string) => new PharosError('validation_failed', `/parent_id: ${message}`, [{ pointer: '/parent_id', message }]);
  // Walk up the tree: the parent must be a policy of the same team and the chain must not loop back.
  let cursor: string | undefined = doc.parent_id;
  for (let depth = 0; cursor; depth++) {
    if (cursor === selfId) throw invalid('This parent would make the policy its own ancestor; choose a policy outside its subtree.');
    if (depth > 32) throw invalid('Policy trees are limited to 32 levels.');
    const row = await ctx.trx.selectFrom('routing_policies').select(['id', 'team_id', 'spec']).where('org_id', '=', ctx.principal.orgId).where('id', '=', cursor).executeTakeFirst();
    if (!row || row.team_id !== teamId) throw invalid(`Routing policy "${cursor}" does not exist in team ${teamId}; a parent must belong to the same team.`);
    cursor = (row.spec as Input).parent_id;
  }
}

/** Routing policies: a tree of label matchers that send alerts to channels, per team. */
export const routingPolicyKind: SpecKind = {
  type: 'routing_policy',
  label: 'Routing policy',
  path: 'routing-policies',
  tag: 'Alerting',
  table: 'routing_policies',
  idKind: 'routing_policy',
  input: RoutingPolicyInput,
  output: RoutingPolicy,
  filters: [],
  rules(doc) {
    const errors: FieldError[] = [];
    ((doc as Input).matchers ?? []).forEach((m, i) => {
      if (m.operator === '=~' || m.operator === '!~') {
        const error = regexFieldError(m.value, `/matchers/${i}/value`);
        if (error) errors.push(error);
      }
    });
    return errors;
  },
  async place(ctx, doc, current) {
    const input = doc as Input;
    const team = await resolveTeam(ctx, input.team_id);
    await checkParent(ctx, input, team.id, current?.id);
    await resolveMany(ctx, 'channels', input.channel_ids ?? [], '/channel_ids', 'Channel');
    await resolveMany(ctx, 'maintenance_windows', input.mute_time_window_ids ?? [], '/mute_time_window_ids', 'Maintenance window');
    return { teamId: team.id };
  },
  async beforeDelete(ctx, row) {
    const children = await ctx.trx.selectFrom('routing_policies').select('name').where('org_id', '=', row.org_id).where(sql<boolean>`spec ->> 'parent_id' = ${row.id}`).execute();
    if (children.length) throw new PharosError('conflict', `Routing policy "${row.name}" has child policies (${children.map((c) => c.name).join(', ')}); delete or re-parent them first.`);
  },
};
