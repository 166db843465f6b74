import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the scheduling priority of the calling thread only (Linux: setpriority on the thread's id,
 * read from /proc/thread-self), so that when the host's cores are busy the kernel runs the runner's
 * main thread, which starts scheduled checks, before the load generator. Elsewhere, or when the
 * system refuses, it does nothing and says so: the concurrency cap still bounds the load.
 */
export function lowerThreadPriority(niceness = 10): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isSafeInteger(tid) || tid <= 0) return false;
    setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}
