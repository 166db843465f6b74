import { sql } from 'kysely';
import { PharosError } from '../../contract/errors.ts';
import { RoutingPolicy, RoutingPolicyInput, type RoutingPolicyInput as Input } from '../../contract/alerting.schema.ts';
import { routingPolicyErrors } from '../../contract/routing-policy.rules.ts';
import { ownerOf, requireOwnerAccess } from '../resources/owner.ts';
import { resolveMany, resolveTeam } from '../resources/references.ts';
import type { KindContext, SpecKind } from '../resources/spec-kind.ts';
import { RoutingRepository } from '../routing/routing.repository.ts';

const invalid = (pointer: string, message: string) => new PharosError('validation_failed', `${pointer}: ${message}`, [{ pointer, message }]);

async function checkParent(repo: RoutingRepository, ctx: KindContext, doc: Input, teamId: string | null, selfId: string | undefined): Promise<void> {
  if (!doc.parent_id) return;
  const tree = teamId === null ? 'the organization tree' : `team ${teamId}`;
  // Walk up the tree: the parent must be a policy of the same tree and the chain must not loop back.
  let cursor: string | undefined = doc.parent_id;
  for (let depth = 0; cursor; depth++) {
    if (cursor === selfId) throw invalid('/parent_id', 'This parent would make the policy its own ancestor; choose a policy outside its subtree.');
    if (depth > 32) throw invalid('/parent_id', 'Policy trees are limited to 32 levels.');
    const link = await repo.policyLink(ctx.trx, ctx.principal.orgId, cursor);
    if (!link || link.team_id !== teamId) throw invalid('/parent_id', `Routing policy "${cursor}" does not exist in ${tree}; a parent must belong to the same tree (team policies under team policies of the same team, organization policies under organization policies).`);
    cursor = link.parent_id;
  }
}

/** A team policy notifies only its own team's channels; organization policies may name any team's. */
async function checkChannels(repo: RoutingRepository, ctx: KindContext, ids: readonly string[], teamId: string | null): Promise<void> {
  await resolveMany(ctx, 'channels', ids, '/channel_ids', 'Channel');
  if (teamId === null) return;
  const owners = await repo.channelTeams(ctx.trx, ctx.principal.orgId, ids);
  ids.forEach((id, i) => {
    if (owners.get(id) !== teamId) throw invalid(`/channel_ids/${i}`, `Channel "${id}" belongs to another team; a team's policies notify only that team's channels (an org admin can route to any channel with an organization policy).`);
  });
}

/** Routing policies: per team a tree of label matchers that send alerts to channels, and the organization fallback tree. */
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
  rules: (doc) => routingPolicyErrors(doc as Input),
  // The owner column is the truth (policies stored before organization policies existed have no scope in their document).
  present: (row) => ({ scope: ownerOf(row) === null ? 'organization' : 'team' }),
  async place(ctx, doc, current) {
    const input = doc as Input;
    // Refused before any lookup, so a team member learns about the role, not about a missing channel.
    if (input.scope === 'organization') requireOwnerAccess(ctx.principal, null, 'write', 'Routing policy');
    const repo = new RoutingRepository();
    const teamId = input.scope === 'organization' ? null : (await resolveTeam(ctx, input.team_id!)).id;
    await checkParent(repo, ctx, input, teamId, current?.id);
    await checkChannels(repo, ctx, input.channel_ids ?? [], teamId);
    await resolveMany(ctx, 'maintenance_windows', input.mute_time_window_ids ?? [], '/mute_time_window_ids', 'Maintenance window');
    return { teamId };
  },
  async beforeDelete(ctx, row) {
    const children = await ctx.trx.selectFrom('routing_policies').select('name').where('org_id', '=', row.org_id).where(sql<boolean>`spec ->> 'parent_id' = ${row.id}`).execute();
    if (children.length) throw new PharosError('conflict', `Routing policy "${row.name}" has child policies (${children.map((c) => c.name).join(', ')}); delete or re-parent them first.`);
  },
};
