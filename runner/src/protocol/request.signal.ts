/** A signal that aborts when its parent aborts or its time runs out; dispose() unlinks it. */
export interface RequestSignal {
  readonly signal: AbortSignal;
  /** True when the time ran out (rather than the parent aborting). */
  readonly timedOut: boolean;
  /** Aborts this signal only (the parent is untouched). */
  abort(): void;
  dispose(): void;
}

/**
 * Links a per-request signal to a long-lived one (the runner's lifetime) with an optional timeout.
 * Not AbortSignal.any: on Node 20 every AbortSignal.any([longLived]) stays referenced by the
 * long-lived signal (nodejs/node#55351), a leak of one entry per request in a process that runs
 * for months. Here the listener is removed when the request is over.
 */
export function requestSignal(parent: AbortSignal, timeoutMs?: number): RequestSignal {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = (): void => controller.abort(parent.reason);
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(new Error(`timed out after ${timeoutMs} ms`));
        }, timeoutMs);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    abort: () => controller.abort(new Error('aborted')),
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}
