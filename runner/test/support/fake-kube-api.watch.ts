// One `?watch=true` response: a chunked stream of newline-delimited WatchEvent JSON, one chunk per
// event, as kube-apiserver's watch cache sends it. Replays the history after the requested
// resourceVersion, then live changes; an object leaving or entering the selectors is sent as
// DELETED or ADDED (the watch cache's filtering with the old object); BOOKMARKs every interval when
// allowed; ends cleanly at timeoutSeconds.

import type http from 'node:http';
import type { FieldSelector, LabelSelector } from './fake-kube-api.selectors.ts';
import { apiVersionOf, type KubeObject, type ResourceType } from './fake-kube-api.resources.ts';
import type { KubeStatus } from './fake-kube-api.status.ts';
import type { Change, KubeStore } from './fake-kube-api.store.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject | KubeStatus;
}

export interface WatchOptions {
  type: ResourceType;
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  /** The resourceVersion to start after; undefined: the current state first as ADDED events. */
  startAfter: number | undefined;
  sendInitialEvents: boolean;
  allowBookmarks: boolean;
  bookmarkIntervalMs: number;
  timeoutSeconds: number | undefined;
}

export class WatchStream {
  #res: http.ServerResponse;
  #options: WatchOptions;
  #store: KubeStore;
  #unsubscribe: () => void = () => {};
  #timers: NodeJS.Timeout[] = [];
  #closed = false;
  #onClose: (stream: WatchStream) => void;

  constructor(store: KubeStore, res: http.ServerResponse, options: WatchOptions, onClose: (stream: WatchStream) => void) {
    this.#store = store;
    this.#res = res;
    this.#options = options;
    this.#onClose = onClose;
  }

  get resource(): ResourceType {
    return this.#options.type;
  }

  /** Sends headers, the replay or initial state, then follows the store. Synchronous: no gap. */
  start(): void {
    const res = this.#res;
    res.on('close', () => this.#cleanup());
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const { startAfter, type } = this.#options;
    if (startAfter === undefined || this.#options.sendInitialEvents) {
      for (const { object } of this.#store.snapshot(type)) if (this.#matches(object)) this.#send({ type: 'ADDED', object });
      if (this.#options.sendInitialEvents) this.#send(this.#bookmark({ 'k8s.io/initial-events-end': 'true' }));
    } else {
      let replay: Change[];
      try {
        replay = this.#store.changesSince(type, startAfter);
      } catch (error) {
        // The real server answers 200 and then one ERROR event carrying the 410 Status.
        this.#send({ type: 'ERROR', object: (error as { toStatus(): KubeStatus }).toStatus() });
        this.end();
        return;
      }
      for (const change of replay) this.#deliver(change);
    }
    this.#unsubscribe = this.#store.subscribe((change) => {
      if (change.resource === type) this.#deliver(change);
    });
    if (this.#options.allowBookmarks) {
      const timer = setInterval(() => this.#send(this.#bookmark()), this.#options.bookmarkIntervalMs);
      this.#timers.push(timer);
    }
    if (this.#options.timeoutSeconds !== undefined) this.#timers.push(setTimeout(() => this.end(), this.#options.timeoutSeconds * 1000));
  }

  /** Ends the stream cleanly (terminating chunk), as the server does at timeoutSeconds. */
  end(): void {
    if (this.#closed) return;
    this.#cleanup();
    this.#res.end();
  }

  /** Cuts the connection without ending the chunked body, as a crashed server or a network fault does. */
  reset(): void {
    if (this.#closed) return;
    this.#cleanup();
    this.#res.socket?.destroy();
    this.#res.destroy();
  }

  #cleanup(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#onClose(this);
  }

  #matches(object: KubeObject): boolean {
    const { namespace, labels, fields } = this.#options;
    if (namespace !== undefined && object.metadata.namespace !== namespace) return false;
    return labels(object.metadata.labels) && fields(object);
  }

  #deliver(change: Change): void {
    const now = this.#matches(change.object);
    const before = change.previous !== undefined && this.#matches(change.previous);
    if (change.type === 'ADDED') {
      if (now) this.#send({ type: 'ADDED', object: change.object });
    } else if (change.type === 'DELETED') {
      if (before) this.#send({ type: 'DELETED', object: change.object });
    } else if (before && now) this.#send({ type: 'MODIFIED', object: change.object });
    else if (before) this.#send({ type: 'DELETED', object: change.object });
    else if (now) this.#send({ type: 'ADDED', object: change.object });
  }

  #bookmark(annotations?: Record<string, string>): WatchEvent {
    const { type } = this.#options;
    const metadata = { resourceVersion: String(this.#store.resourceVersion), creationTimestamp: null, ...(annotations ? { annotations } : {}) };
    return { type: 'BOOKMARK', object: { kind: type.kind, apiVersion: apiVersionOf(type), metadata } as unknown as KubeObject };
  }

  #send(event: WatchEvent): void {
    if (this.#closed || this.#res.writableEnded) return;
    this.#res.write(`${JSON.stringify(event)}\n`);
  }
}
