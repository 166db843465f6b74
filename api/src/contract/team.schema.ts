import { Managed } from './managed-by.schema.ts';
import { Type, type Static } from '@sinclair/typebox';
import { ClosedMap, Description, Id, Meta, Name, StringEnum, Timestamp, labelKey } from './common.schema.ts';

export const TeamInput = Type.Object({ name: Name, description: Type.Optional(Description) }, { additionalProperties: false });
export const Team = Type.Object({ ...Meta, ...Managed, ...TeamInput.properties });

export const memberRoles = ['team_admin', 'team_editor', 'viewer'] as const;
export const MemberInput = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 255, description: 'The user\'s subject ("sub" claim) at the identity provider.' }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    display_name: Type.Optional(Type.String({ maxLength: 200 })),
    role: StringEnum(memberRoles, { description: 'team_admin: the team\'s resources and members; team_editor: the team\'s monitors, rules and policies; viewer: read only.' }),
  },
  { additionalProperties: false },
);
export const Member = Type.Object({ ...Meta, ...Managed, team_id: Id, user_id: Id, ...MemberInput.properties });

export const tokenRoles = ['org_admin', 'team_admin', 'team_editor', 'viewer'] as const;
export const TokenInput = Type.Object(
  {
    name: Name,
    role: StringEnum(tokenRoles),
    team_id: Type.Optional(Id),
    expires_at: Type.Optional(Timestamp),
  },
  { additionalProperties: false, description: 'team_id is required for team roles and must be absent for org_admin.' },
);
export const Token = Type.Object({
  ...Meta,
  ...TokenInput.properties,
  token_hint: Type.String({ description: 'First and last characters of the token, to recognise it.' }),
  last_used_at: Type.Optional(Timestamp),
});
export const CreatedToken = Type.Object({ ...Token.properties, token: Type.String({ description: 'The secret, shown only in this response.' }) });

const Labels = ClosedMap(labelKey, Type.String({ maxLength: 255 }), { maxProperties: 20, description: 'Labels of the runners using this token (e.g. zone). Keys: letters, digits and "_ . : / -", 1 to 63 characters.' });
export const RunnerTokenInput = Type.Object(
  {
    name: Name,
    region: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Region the runners using this token run in.', errorMessage: 'Must be lower-case letters, digits and "-", starting with a letter or digit, e.g. "us-east-1".' }),
    labels: Type.Optional(Labels),
    serves_general_pool: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Runners of a token whose labels include "zone" run only monitors of that zone (run_from.zone); true lets them also run monitors that name no zone (the general pool of the region).',
      }),
    ),
  },
  { additionalProperties: false },
);
export const RunnerToken = Type.Object({
  ...Meta,
  ...Managed,
  ...RunnerTokenInput.properties,
  token_hint: Type.String(),
  last_used_at: Type.Optional(Timestamp),
});
export const CreatedRunnerToken = Type.Object({ ...RunnerToken.properties, token: Type.String({ description: 'The secret, shown only in this response.' }) });

export type TeamInput = Static<typeof TeamInput>;
export type Team = Static<typeof Team>;
export type MemberInput = Static<typeof MemberInput>;
export type Member = Static<typeof Member>;
export type TokenInput = Static<typeof TokenInput>;
export type Token = Static<typeof Token>;
export type RunnerTokenInput = Static<typeof RunnerTokenInput>;
export type RunnerToken = Static<typeof RunnerToken>;
