import { readlinkSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority } from '../../src/load-test/thread.priority.ts';

// Lowers its own priority and reports its thread id; waits to be terminated.
const lowered = lowerThreadPriority();
parentPort!.postMessage({ lowered, tid: Number(readlinkSync('/proc/thread-self').split('/').pop()) });
setInterval(() => {}, 1_000);
