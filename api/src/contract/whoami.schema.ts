import { Type, type Static } from '@sinclair/typebox';
import { Id, StringEnum, Timestamp } from './common.schema.ts';
import { memberRoles } from './team.schema.ts';

/** GET /v1/me: who the request's credentials identify, and what they may do (the console hides what it may not). */
export const Whoami = Type.Object({
  kind: StringEnum(['api_token', 'user'] as const, { description: 'An API token, or a user signed in through the identity provider (JWT).' }),
  id: Id,
  name: Type.String({ description: 'The token\'s name or the user\'s display name.' }),
  org_id: Id,
  org_admin: Type.Boolean({ description: 'Org admins read and change everything in the organization.' }),
  teams: Type.Array(Type.Object({ id: Id, name: Type.String(), role: StringEnum(memberRoles) }), { description: 'The teams the caller has a role in, with that role.' }),
  expires_at: Type.Union([Timestamp, Type.Null()], { description: 'When the credential stops working (token expiry or JWT exp); null when it does not expire.' }),
});
export type Whoami = Static<typeof Whoami>;
