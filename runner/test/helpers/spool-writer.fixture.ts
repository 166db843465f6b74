// A process that appends results to a spool as fast as it can and reports, after each commit, how
// many are durable; the spool tests SIGKILL it mid-write.
import { ResultSpool } from '../../src/results/result.spool.ts';

const dir = process.argv[2]!;
const spool = new ResultSpool({ dir, maxResults: 1_000_000, maxBytes: 512 * 1024 * 1024, segmentBytes: 256 * 1024 });
await spool.open();
let n = 0;
for (;;) {
  for (let i = 0; i < 50; i++) {
    n += 1;
    spool.push({ runnerId: 'run_crash', result: { id: `res_${String(n).padStart(26, '0')}`, monitor_id: 'mon_01J00000000000000000000000', region: 'eu-west-1', started_at: new Date().toISOString(), status: 'up', duration_ms: n } });
  }
  await spool.commit();
  process.stdout.write(`committed ${n}\n`);
}
