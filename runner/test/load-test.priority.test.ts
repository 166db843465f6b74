import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

// The load generator's thread runs at a lower priority than the thread that starts checks.
const niceOf = (statPath: string): number => Number(readFileSync(statPath, 'utf8').split(') ')[1]!.split(' ')[16]);

describe('load-test thread priority', { skip: process.platform !== 'linux' && 'Linux only (/proc)' }, () => {
  it('lowers the calling thread only: the worker runs at nice 10, the main thread keeps its priority', async () => {
    const mainBefore = niceOf('/proc/thread-self/stat');
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./support/priority.worker.ts', import.meta.url).href;
    const worker = new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
    try {
      const { lowered, tid } = await new Promise<{ lowered: boolean; tid: number }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      assert.equal(lowered, true);
      assert.equal(niceOf(`/proc/self/task/${tid}/stat`), Math.max(10, mainBefore), 'the worker thread runs at nice 10');
      assert.equal(niceOf('/proc/thread-self/stat'), mainBefore, 'the main thread is not lowered');
    } finally {
      await worker.terminate();
    }
  });
});
