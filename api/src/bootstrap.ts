import type { Db } from './db/database.ts';
import { generateToken, hashToken, tokenHint } from './auth/secret-token.ts';
import { newId } from './shared/ids.ts';

export interface BootstrapResult {
  orgId: string;
  created: boolean;
  /** Set only when a token was generated now: it is shown this once. */
  generatedToken?: string;
}

/**
 * First start with an empty database: creates the organization and an org admin token, taken from
 * PHAROS_ADMIN_TOKEN when set, otherwise generated. Later starts make sure PHAROS_ADMIN_TOKEN (when
 * set) is a valid org admin token, so operators can rotate it through the environment.
 */
export async function bootstrap(db: Db, adminToken: string | undefined, options: { orgName?: string; localRunnerToken?: string | undefined } = {}): Promise<BootstrapResult> {
  const orgName = options.orgName ?? 'default';
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('organizations').select('id').orderBy('created_at').executeTakeFirst();
    const orgId = existing?.id ?? newId('organization');
    if (!existing) await trx.insertInto('organizations').values({ id: orgId, name: orgName, created_at: new Date() }).execute();
    let generatedToken: string | undefined;
    let hash: string | undefined;
    let hint: string | undefined;
    if (adminToken) {
      hash = hashToken(adminToken);
      hint = tokenHint(adminToken);
    } else if (!existing) {
      const secret = generateToken('api');
      ({ hash, hint } = secret);
      generatedToken = secret.token;
    }
    if (hash && hint) {
      const now = new Date();
      await trx
        .insertInto('api_tokens')
        .values({ id: newId('api_token'), org_id: orgId, team_id: null, name: 'bootstrap-admin', role: 'org_admin', token_hash: hash, token_hint: hint, created_by: 'bootstrap', created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('token_hash').doNothing())
        .execute();
    }
    // `npm start` runs a runner beside the control plane with a token it makes up per start.
    if (options.localRunnerToken) {
      const now = new Date();
      // The previous start's local token is of no use any more.
      await trx.updateTable('runner_tokens').set({ revoked_at: now }).where('org_id', '=', orgId).where('name', '=', 'local').where('region', '=', 'local')
        .where('token_hash', '!=', hashToken(options.localRunnerToken)).where('revoked_at', 'is', null).execute();
      await trx
        .insertInto('runner_tokens')
        .values({ id: newId('runner_token'), org_id: orgId, name: 'local', region: 'local', labels: '{}', token_hash: hashToken(options.localRunnerToken), token_hint: tokenHint(options.localRunnerToken), created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('token_hash').doNothing())
        .execute();
    }
    return { orgId, created: !existing, ...(generatedToken ? { generatedToken } : {}) };
  });
}
