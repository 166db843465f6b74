import { Managed } from './managed-by.schema.ts';
import { Type, type Static } from '@sinclair/typebox';
import { Description, Id, Meta, Name, StringEnum, Tags } from './common.schema.ts';

export const ServiceInput = Type.Object(
  {
    name: Name,
    team_id: Id,
    kind: Type.Optional(StringEnum(['internal', 'external'] as const, { default: 'internal', description: 'external: a third-party API the fleet depends on.' })),
    description: Type.Optional(Description),
    runbook_url: Type.Optional(Type.String({ format: 'uri', maxLength: 2048 })),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);
export const Service = Type.Object({ ...Meta, ...Managed, ...ServiceInput.properties });

export const DependencyInput = Type.Object(
  {
    depends_on_service_id: Id,
    description: Type.Optional(Description),
  },
  { additionalProperties: false },
);
export const Dependency = Type.Object({
  ...Meta,
  ...Managed,
  team_id: Id,
  service_id: Id,
  ...DependencyInput.properties,
});
export const DependencyWarning = Type.Object({
  code: Type.Literal('dependency_cycle'),
  message: Type.String(),
  cycle: Type.Array(Type.String(), { description: 'Service names around the cycle, first repeated last.' }),
});
export const CreatedDependency = Type.Object({ ...Dependency.properties, warnings: Type.Optional(Type.Array(DependencyWarning)) });

export type ServiceInput = Static<typeof ServiceInput>;
export type Service = Static<typeof Service>;
export type DependencyInput = Static<typeof DependencyInput>;
export type Dependency = Static<typeof Dependency>;
