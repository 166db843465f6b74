import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDatabaseUnavailable } from '../src/db/db-errors.ts';

// Which database errors mean "the database is not there" (503 database_unavailable, retried) and
// which are failures of the statement itself (mapped by their own rules, or 500).

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

const cases: Array<[string, unknown, boolean]> = [
  ['refused connection (server stopped)', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), true],
  ['reset socket', withCode('ECONNRESET'), true],
  ['socket timeout', withCode('ETIMEDOUT'), true],
  ['unknown host', withCode('ENOTFOUND'), true],
  ['dual-stack refused (AggregateError)', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], ''), true],
  ['admin shutdown (pg_ctl restart / stop -m fast)', withCode('57P01', 'terminating connection due to administrator command'), true],
  ['crash shutdown', withCode('57P02'), true],
  ['cannot connect now (starting up)', withCode('57P03', 'the database system is starting up'), true],
  ['statement_timeout', withCode('57014', 'canceling statement due to statement timeout'), true],
  ['too many connections', withCode('53300'), true],
  ['connection exception class 08', withCode('08006'), true],
  ['connection does not exist', withCode('08003'), true],
  ['protocol violation (e.g. too many bind parameters) is a bug, not an outage', withCode('08P01'), false],
  ['pg: connection terminated', new Error('Connection terminated unexpectedly'), true],
  ['pg: connection timeout', new Error('Connection terminated due to connection timeout'), true],
  ['pg-pool: acquire timeout', new Error('timeout exceeded when trying to connect'), true],
  ['pg: client read timeout', new Error('Query read timeout'), true],
  ['pg: dead client reused', new Error('Client has encountered a connection error and is not queryable'), true],
  ['unique violation', withCode('23505'), false],
  ['foreign key violation', withCode('23503'), false],
  ['syntax error', withCode('42601'), false],
  ['invalid byte sequence', withCode('22021'), false],
  ['plain error', new Error('boom'), false],
  ['AggregateError of mixed causes', new AggregateError([withCode('ECONNREFUSED'), new Error('boom')], ''), false],
  ['empty AggregateError', new AggregateError([], ''), false],
  ['not an error', 'ECONNREFUSED', false],
  ['null', null, false],
];

for (const [name, error, expected] of cases) {
  test(`${name} → ${expected ? 'database unavailable' : 'not an outage'}`, () => {
    assert.equal(isDatabaseUnavailable(error), expected);
  });
}
