import { Type, type Static } from '@sinclair/typebox';
import { Id, StringEnum, Timestamp } from './common.schema.ts';
import { states } from './state.schema.ts';

const OpenIncident = Type.Object(
  {
    id: Id,
    number: Type.Integer(),
    state: StringEnum(['investigating', 'identified', 'monitoring'] as const),
  },
  { description: 'The latest opened incident that is not resolved and involves this node (GET /v1/incidents/{id}).' },
);

export const GraphNode = Type.Object({
  id: Id,
  name: Type.String(),
  kind: StringEnum(['internal', 'external'] as const, { description: 'external: a third-party API the fleet depends on.' }),
  team_id: Id,
  team: Type.String({ description: 'The owning team\'s name.' }),
  state: StringEnum(states),
  since: Type.Optional(Timestamp),
  open_incident: Type.Optional(OpenIncident),
  in_scope: Type.Boolean({ description: 'false: a direct neighbour of a service in scope (another team\'s service it depends on, or that depends on it), shown for context.' }),
});

export const GraphEdge = Type.Object({
  id: Id,
  service_id: Id,
  depends_on_service_id: Id,
  team_id: Id,
  state: StringEnum(states, { description: 'From the enabled monitors that check the edge (dependency_id); unknown when none does.' }),
  since: Type.Optional(Timestamp),
  monitored: Type.Boolean({ description: 'Some enabled monitor checks this edge.' }),
  monitor_ids: Type.Array(Id, { description: 'Every monitor that names this edge, enabled or not.' }),
  open_incident: Type.Optional(OpenIncident),
});

export const DependencyGraph = Type.Object({
  generated_at: Timestamp,
  nodes: Type.Array(GraphNode, { description: 'Services, by name.' }),
  edges: Type.Array(GraphEdge, { description: 'Dependency edges between the nodes: service_id depends on depends_on_service_id. With limit: the edges whose service_id is on this page.' }),
  next_cursor: Type.Optional(Type.String({ description: 'With limit: pass as `cursor` to fetch the next page of nodes.' })),
});

export const DependencyGraphQuery = Type.Object(
  {
    team: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Nodes per page (with the edges leaving them); absent, the whole graph in one answer.' })),
    cursor: Type.Optional(Type.String({ maxLength: 400, description: 'next_cursor of the previous page.' })),
  },
  { additionalProperties: false },
);

export type DependencyGraph = Static<typeof DependencyGraph>;
export type GraphNode = Static<typeof GraphNode>;
export type GraphEdge = Static<typeof GraphEdge>;
