import type { JsonObject } from './json-view.mapper.ts';

/**
 * Provider-private data stored by Terraform next to the state (e.g. an ETag). Serialised as
 * JSON bytes; Terraform hands the bytes back on read, plan and apply without looking inside.
 */
export class PrivateState {
  private readonly data: JsonObject;

  constructor(data: JsonObject = {}) {
    this.data = { ...data };
  }

  /** Parses the bytes Terraform sent; empty or foreign bytes read as empty private state. */
  static fromBytes(bytes: Uint8Array | undefined): PrivateState {
    if (!bytes || bytes.length === 0) return new PrivateState();
    try {
      const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
      return new PrivateState(parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as JsonObject) : {});
    } catch {
      return new PrivateState();
    }
  }

  /** Reads one key. */
  get(key: string): unknown {
    return this.data[key];
  }

  /** Writes one key; undefined removes it. */
  set(key: string, value: unknown): void {
    if (value === undefined) delete this.data[key];
    else this.data[key] = value;
  }

  /** Bytes for the protocol; empty when there is nothing to keep. */
  toBytes(): Buffer {
    return Object.keys(this.data).length === 0 ? Buffer.alloc(0) : Buffer.from(JSON.stringify(this.data));
  }
}
