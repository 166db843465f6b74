import { createRemoteJWKSet, jwtVerify, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import { PharosError } from '../contract/errors.ts';
import type { Db } from '../db/database.ts';
import { newId } from '../shared/ids.ts';
import { hashToken, tokenPrefixes } from './secret-token.ts';
import type { Principal, RunnerPrincipal, TeamRole } from './principal.ts';

export interface JwtSettings {
  jwksUrl: string;
  issuer: string;
  audience: string;
  adminSubjects: string[];
  /** Minimum time between JWKS refetches for an unknown key id (default 30 s). */
  jwksCooldownMs?: number;
}

// last_used_at is informational; writing it on every request would turn every read into a write.
const LAST_USED_RESOLUTION_MS = 60_000;

const unauthorized = (message: string) => new PharosError('unauthorized', message);

/** Resolves an Authorization header to an API principal or a runner. */
export class Authenticator {
  private readonly jwks: JWTVerifyGetKey | undefined;

  constructor(
    private readonly db: Db,
    private readonly jwt: JwtSettings | undefined,
    private readonly onError: (error: unknown) => void,
  ) {
    this.jwks = jwt ? createRemoteJWKSet(new URL(jwt.jwksUrl), { cooldownDuration: jwt.jwksCooldownMs ?? 30_000, cacheMaxAge: 600_000 }) : undefined;
  }

  /** The caller behind a bearer credential; throws unauthorized with a hint on what is wrong. */
  async authenticate(header: string | undefined): Promise<Principal | RunnerPrincipal> {
    if (!header) throw unauthorized('Send an API token or identity-provider JWT as "Authorization: Bearer <token>".');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized('The Authorization header must have the form "Bearer <token>".');
    const credential = match[1]!;
    if (credential.startsWith(tokenPrefixes.api)) return this.apiToken(credential);
    if (credential.startsWith(tokenPrefixes.runner)) return this.runnerToken(credential);
    if (this.jwks && credential.split('.').length === 3) return this.user(credential);
    throw unauthorized('The bearer token is not a Pharos token ("phs_…" or "phr_…")' + (this.jwks ? ' nor a JWT.' : '; JWT sign-in is not configured on this server.'));
  }

  private async apiToken(token: string): Promise<Principal> {
    const row = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'org_id', 'team_id', 'name', 'role', 'expires_at', 'revoked_at', 'last_used_at'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row || row.revoked_at) throw unauthorized('The API token is unknown or was revoked.');
    const now = Date.now();
    if (row.expires_at && new Date(row.expires_at).getTime() <= now) throw unauthorized('The API token has expired; create a new one.');
    if (!row.last_used_at || now - new Date(row.last_used_at).getTime() > LAST_USED_RESOLUTION_MS) {
      this.db.updateTable('api_tokens').set({ last_used_at: new Date(now) }).where('id', '=', row.id).execute().catch(this.onError);
    }
    const teams = new Map<string, TeamRole>();
    if (row.team_id) teams.set(row.team_id, row.role as TeamRole);
    return { kind: 'api_token', id: row.id, name: row.name, orgId: row.org_id, orgAdmin: row.role === 'org_admin', teams, expiresAt: row.expires_at ? new Date(row.expires_at) : null };
  }

  private async runnerToken(token: string): Promise<RunnerPrincipal> {
    const row = await this.db
      .selectFrom('runner_tokens')
      .select(['id', 'org_id', 'name', 'region', 'labels', 'revoked_at', 'last_used_at'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row || row.revoked_at) throw unauthorized('The runner token is unknown or was revoked.');
    const now = Date.now();
    if (!row.last_used_at || now - new Date(row.last_used_at).getTime() > LAST_USED_RESOLUTION_MS) {
      this.db.updateTable('runner_tokens').set({ last_used_at: new Date(now) }).where('id', '=', row.id).execute().catch(this.onError);
    }
    return { kind: 'runner', id: row.id, name: row.name, orgId: row.org_id, region: row.region, labels: row.labels ?? {} };
  }

  private async user(jwt: string): Promise<Principal> {
    const settings = this.jwt!;
    let subject: string;
    let expiresAt: Date | null = null;
    try {
      const { payload } = await jwtVerify(jwt, this.jwks!, { issuer: settings.issuer, audience: settings.audience, algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'] });
      if (!payload.sub) throw unauthorized('The JWT has no "sub" claim.');
      subject = payload.sub;
      if (typeof payload.exp === 'number') expiresAt = new Date(payload.exp * 1000);
    } catch (error) {
      if (error instanceof PharosError) throw error;
      throw unauthorized(jwtMessage(error));
    }
    const user = await this.db.selectFrom('users').select(['id', 'org_id', 'subject', 'display_name', 'email', 'org_admin']).where('subject', '=', subject).executeTakeFirst();
    const orgAdmin = settings.adminSubjects.includes(subject);
    if (!user && !orgAdmin) {
      throw new PharosError('forbidden', `The identity "${subject}" is valid but has no role in Pharos; ask an admin to add it to a team (POST /v1/teams/{id}/members).`);
    }
    const resolved = user ?? (await this.provisionAdmin(subject));
    const memberships = await this.db.selectFrom('memberships').select(['team_id', 'role']).where('user_id', '=', resolved.id).execute();
    return {
      kind: 'user',
      id: resolved.id,
      name: resolved.display_name ?? resolved.email ?? subject,
      orgId: resolved.org_id,
      orgAdmin: orgAdmin || resolved.org_admin,
      teams: new Map(memberships.map((m) => [m.team_id, m.role as TeamRole])),
      expiresAt,
    };
  }

  // A subject listed in PHAROS_JWT_ADMIN_SUBJECTS signs in as org admin of the (single) bootstrap organization.
  private async provisionAdmin(subject: string) {
    const org = await this.db.selectFrom('organizations').select('id').orderBy('created_at').executeTakeFirstOrThrow();
    const row = { id: newId('user'), org_id: org.id, subject, email: null, display_name: null, org_admin: true, created_at: new Date() };
    await this.db.insertInto('users').values(row).onConflict((oc) => oc.column('subject').doNothing()).execute();
    return this.db.selectFrom('users').select(['id', 'org_id', 'subject', 'display_name', 'email', 'org_admin']).where('subject', '=', subject).executeTakeFirstOrThrow();
  }
}

function jwtMessage(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The JWT has expired; sign in again.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The JWT claim "${error.claim}" is not accepted (${error.reason}); check the token's issuer and audience.`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The JWT signature does not verify.';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'No key of the identity provider matches the JWT ("kid").';
  if (error instanceof joseErrors.JOSEError) return `The JWT is not accepted: ${error.message}`;
  return 'The JWT could not be verified.';
}
