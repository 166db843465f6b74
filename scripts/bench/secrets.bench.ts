import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Keyring } from '../../api/src/crypto/keyring.ts';
import { SecretBox } from '../../api/src/crypto/secret-box.ts';

// What encryption at rest costs where it is paid most: a full assignment feed decrypts the secret
// headers of every monitor the runner owns, and the start-up pass re-encrypts every row. In-process,
// CPU only (no database): MONITORS monitors' secret documents, ROUNDS rounds, medians.
//   seal:      encrypt each document (writes, the start-up pass)
//   open:      decrypt each envelope (the feed, channel sends)
//   baseline:  what a clear row already cost: JSON.stringify + JSON.parse of the same document
//   npm run bench secrets

const MONITORS = Number(process.env.BENCH_MONITORS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const out = (line: string) => process.stdout.write(`${line}\n`);
// Targets: a full feed of 10,000 monitors decrypts in under 1 s of CPU; the start-up pass seals 10,000 rows in under 2 s.
const OPEN_TARGET_US = 100;
const SEAL_TARGET_US = 200;

const box = new SecretBox(new Keyring([{ kid: 'bench', key: randomBytes(32) }]));
const docs = Array.from({ length: MONITORS }, (_, i) => ({ http: { Authorization: `Bearer ${randomBytes(24).toString('base64url')}`, 'X-Tenant': `tenant-${i}` } }));
const slots = docs.map((_, i) => ({ table: 'monitors', id: `mon_${i.toString().padStart(8, '0')}` }));
const sealed = docs.map((d, i) => box.seal(slots[i]!, d));

function median(run: () => void): number {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

let sink = 0;
const seal = median(() => { for (let i = 0; i < MONITORS; i++) sink += box.seal(slots[i]!, docs[i]!)!.ct.length; });
const open = median(() => { for (let i = 0; i < MONITORS; i++) sink += Object.keys(box.open(slots[i]!, sealed[i])!).length; });
const baseline = median(() => { for (let i = 0; i < MONITORS; i++) sink += Object.keys(JSON.parse(JSON.stringify(docs[i]))).length; });
const us = (ms: number) => ((ms * 1000) / MONITORS).toFixed(2);
out(`secrets at rest: ${MONITORS} monitor secret documents, median of ${ROUNDS} rounds (checksum ${sink % 10})`);
out(`  seal:      ${seal.toFixed(1)} ms (${us(seal)} µs each, ${(seal / baseline).toFixed(1)}× baseline; target ≤ ${SEAL_TARGET_US} µs)`);
out(`  open:      ${open.toFixed(1)} ms (${us(open)} µs each, ${(open / baseline).toFixed(1)}× baseline; target ≤ ${OPEN_TARGET_US} µs)`);
out(`  baseline:  ${baseline.toFixed(1)} ms (${us(baseline)} µs each: JSON round trip of the clear document)`);
const met = Number(us(open)) <= OPEN_TARGET_US && Number(us(seal)) <= SEAL_TARGET_US;
out(met ? 'MET' : 'NOT MET');
if (!met) process.exitCode = 1;
