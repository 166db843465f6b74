import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { expectOk } from './support/world.ts';

// Sign-in through an external identity provider: a local JWKS server with keys made here.

const issuer = 'https://idp.test/';
const audience = 'pharos';
let jwks: { keys: JWK[] } = { keys: [] };
let jwksServer: Server;
let api: TestApi;
const skip = postgresSkip();

async function key(kid: string) {
  const pair = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { ...pair, jwk, kid };
}

type Key = Awaited<ReturnType<typeof key>>;
const sign = (k: Key, claims: { sub: string; aud?: string; iss?: string; exp?: string | number }) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: k.kid })
    .setSubject(claims.sub)
    .setIssuer(claims.iss ?? issuer)
    .setAudience(claims.aud ?? audience)
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? '5m')
    .sign(k.privateKey);

let first: Key;
let team: string;

before(async () => {
  if (skip) return;
  first = await key('k1');
  jwks = { keys: [first.jwk] };
  jwksServer = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify(jwks)));
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  const address = jwksServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  api = await startTestApi({ jwt: { jwksUrl: `http://127.0.0.1:${port}/jwks`, issuer, audience, adminSubjects: ['root@idp'], jwksCooldownMs: 500 } });
  team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: 'payments' })).id;
  await expectOk(api, 'POST', `/v1/teams/${team}/members`, api.adminToken, { subject: 'alice@idp', email: 'alice@example.com', role: 'team_editor' });
});
after(async () => {
  await api?.close();
  jwksServer?.close();
});

test('a member signs in with a JWT and gets the roles of her memberships', { skip }, async () => {
  const token = await sign(first, { sub: 'alice@idp' });
  const services = await api.call('POST', '/v1/services', { token, body: { name: 'ledger', team_id: team } });
  assert.equal(services.status, 201, 'team_editor may create services in her team');
  const teamCreate = await api.call('POST', '/v1/teams', { token, body: { name: 'nope' } });
  assert.equal(teamCreate.status, 403, 'but not teams');
  const audit = await api.call('GET', `/v1/audit?resource_id=${services.body.id}`);
  assert.equal(audit.body.items[0].actor.type, 'user');
  assert.equal(audit.body.items[0].actor.name, 'alice@example.com');
});

test('an admin subject signs in as org admin', { skip }, async () => {
  const res = await api.call('POST', '/v1/teams', { token: await sign(first, { sub: 'root@idp' }), body: { name: 'platform' } });
  assert.equal(res.status, 201);
});

test('a valid identity without a membership is told how to get access', { skip }, async () => {
  const res = await api.call('GET', '/v1/services', { token: await sign(first, { sub: 'stranger@idp' }) });
  assert.equal(res.status, 403);
  assert.match(res.body.detail, /members/);
});

test('expired tokens, wrong audience or issuer and forged signatures are refused', { skip }, async () => {
  const expired = await api.call('GET', '/v1/services', { token: await sign(first, { sub: 'alice@idp', exp: Math.floor(Date.now() / 1000) - 120 }) });
  assert.equal(expired.status, 401);
  assert.match(expired.body.detail, /expired/);
  const audienceWrong = await api.call('GET', '/v1/services', { token: await sign(first, { sub: 'alice@idp', aud: 'someone-else' }) });
  assert.equal(audienceWrong.status, 401);
  assert.match(audienceWrong.body.detail, /aud/);
  const issuerWrong = await api.call('GET', '/v1/services', { token: await sign(first, { sub: 'alice@idp', iss: 'https://evil.test/' }) });
  assert.equal(issuerWrong.status, 401);
  const attacker = await key('k1');
  const forged = await api.call('GET', '/v1/services', { token: await sign(attacker, { sub: 'alice@idp' }) });
  assert.equal(forged.status, 401, 'same kid, different key');
  assert.match(forged.body.detail, /signature/);
  const valid = await sign(first, { sub: 'alice@idp' });
  const [h, p] = valid.split('.');
  const tampered = await api.call('GET', '/v1/services', { token: `${h}.${Buffer.from(JSON.stringify({ sub: 'root@idp', iss: issuer, aud: audience, exp: 9999999999 })).toString('base64url')}.${valid.split('.')[2]}` });
  assert.equal(tampered.status, 401, 'a payload swapped under a valid signature');
  assert.ok(p);
});

test('a rotated signing key is picked up from the JWKS', { skip }, async () => {
  const second = await key('k2');
  jwks = { keys: [second.jwk] };
  // jose refetches the JWKS when a token names a kid it has not seen (after its cooldown).
  const deadline = Date.now() + 10_000;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await api.call('GET', '/v1/services', { token: await sign(second, { sub: 'alice@idp' }) })).status;
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(status, 200);
  const old = await api.call('GET', '/v1/services', { token: await sign(first, { sub: 'alice@idp' }) });
  assert.equal(old.status, 401, 'the retired key no longer verifies');
});
