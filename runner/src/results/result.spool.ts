import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { QueuedResult, ResultQueue } from './result.queue.ts';

/** Default disk budget of the spool (results files plus their acknowledgement files). */
export const defaultSpoolMaxBytes = 256 * 1024 * 1024;
/** The smallest disk budget accepted: a few segments of ordinary results. */
export const minSpoolMaxBytes = 1024 * 1024;

export interface ResultSpoolOptions {
  dir: string;
  /** Results held before the oldest is evicted (as the memory buffer). */
  maxResults: number;
  /** Bytes the spool's files may take; the oldest segment is evicted to stay below. */
  maxBytes: number;
  /** Segment size at which a new segment file is started (default: maxBytes / 16, 64 KiB to 8 MiB). */
  segmentBytes?: number;
  /** Group-commit window: writes within it share one write + fdatasync (default 20 ms). */
  commitDelayMs?: number;
  /** Told about every result evicted unsent because the spool was full. */
  onDrop?: (entry: QueuedResult) => void;
  /** Told about records skipped when reading the spool back (a torn last write, a damaged line). */
  onSkipped?: (file: string, count: number) => void;
  /** Told when writing to or deleting from the spool fails; results stay queued in memory. */
  onError?: (err: Error) => void;
}

interface Entry {
  entry: QueuedResult;
  seq: number;
  /** false: not handed to the disk yet (an acknowledgement then needs no record). */
  durable: boolean;
}

interface Segment {
  /** Results of this segment not yet acknowledged or evicted. */
  live: number;
  /** Bytes of its results and acks files, written or about to be. */
  bytes: number;
}

const namePattern = /^(\d{16})\.(results|acks)$/;
const seqName = (seq: number): string => String(seq).padStart(16, '0');
const checksum = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);
/** One record per line: `<checksum> <payload>`; a line that fails the checksum was torn or damaged. */
const encodeLine = (payload: string): string => `${checksum(payload)} ${payload}\n`;

/** The payload of a well-formed line, or undefined. */
function decodeLine(line: string): string | undefined {
  if (line.length < 18 || line[16] !== ' ') return undefined;
  const payload = line.slice(17);
  return checksum(payload) === line.slice(0, 16) ? payload : undefined;
}

function isQueuedResult(value: unknown): value is QueuedResult {
  const v = value as { runnerId?: unknown; result?: { id?: unknown } } | null;
  return typeof v?.runnerId === 'string' && typeof v.result === 'object' && v.result !== null && typeof v.result.id === 'string';
}

/**
 * An on-disk result queue (PHAROS_RUNNER_SPOOL_DIR) that survives a runner restart or SIGKILL.
 *
 * Layout: append-only segment files `<seq>.results` (one checksummed JSON record per line) and
 * beside each `<seq>.acks` (checksummed lines of result ids the API answered for). Writes are
 * group-committed: one append and one fdatasync per commit window. A segment whose results are
 * all acknowledged is deleted. Reading back skips a torn last line and damaged lines, so a crash
 * mid-write costs at most the results of the last commit window, never the spool.
 *
 * Invariants: a result leaves the spool only when acknowledged or evicted; an acknowledgement is
 * recorded in the acks file of the result's own segment, so deleting a segment never resurrects
 * anything; a new process never appends to an old segment (it starts the next sequence number).
 */
export class ResultSpool implements ResultQueue {
  readonly #entries = new Map<string, Entry>();
  readonly #segments = new Map<number, Segment>();
  #active = 0;
  #diskBytes = 0;
  #dropped = 0;
  #pendingRecords: { id: string; seq: number; line: string }[] = [];
  #pendingAcks = new Map<number, string[]>();
  #doomed: number[] = [];
  #created = new Set<number>();
  #timer: NodeJS.Timeout | undefined;
  #committing: Promise<void> | undefined;
  #opened = false;
  #closed = false;
  readonly #segmentBytes: number;
  readonly #commitDelayMs: number;

  constructor(private readonly options: ResultSpoolOptions) {
    if (!(options.maxResults >= 1)) throw new RangeError('maxResults must be at least 1');
    if (!(options.maxBytes >= 1)) throw new RangeError('maxBytes must be positive');
    this.#segmentBytes = options.segmentBytes ?? Math.min(8 * 1024 * 1024, Math.max(64 * 1024, Math.floor(options.maxBytes / 16)));
    this.#commitDelayMs = options.commitDelayMs ?? 20;
  }

  get depth(): number {
    return this.#entries.size;
  }

  get capacity(): number {
    return this.options.maxResults;
  }

  get dropped(): number {
    return this.#dropped;
  }

  /** Bytes the spool's files take (including what is about to be written). */
  get diskBytes(): number {
    return this.#diskBytes;
  }

  /** Reads back what earlier processes left: unacknowledged results, oldest first. */
  async open(): Promise<{ recovered: number }> {
    if (this.#opened) throw new Error('the spool is already open');
    const { dir } = this.options;
    await mkdir(dir, { recursive: true });
    const files = new Map<number, { results?: string; acks?: string }>();
    for (const name of await readdir(dir)) {
      const m = namePattern.exec(name);
      if (!m) continue;
      const seq = Number(m[1]);
      const kind = m[2] as 'results' | 'acks';
      files.set(seq, { ...files.get(seq), [kind]: name });
    }
    let maxSeq = 0;
    for (const seq of [...files.keys()].sort((a, b) => a - b)) {
      maxSeq = Math.max(maxSeq, seq);
      const { results, acks } = files.get(seq)!;
      if (!results) {
        await this.#unlink(join(dir, acks!)); // its results file went first: nothing left to acknowledge
        continue;
      }
      const acked = new Set<string>();
      let bytes = 0;
      if (acks) {
        const text = await readFile(join(dir, acks), 'utf8');
        bytes += Buffer.byteLength(text);
        const { payloads, skipped } = this.#lines(text);
        for (const p of payloads) for (const id of p.split(',')) if (id) acked.add(id);
        if (skipped) this.options.onSkipped?.(acks, skipped);
      }
      const text = await readFile(join(dir, results), 'utf8');
      bytes += Buffer.byteLength(text);
      const { payloads, skipped } = this.#lines(text);
      let bad = skipped;
      let live = 0;
      for (const payload of payloads) {
        let value: unknown;
        try {
          value = JSON.parse(payload);
        } catch {
          value = undefined;
        }
        if (!isQueuedResult(value)) {
          bad += 1;
          continue;
        }
        const id = value.result.id;
        if (acked.has(id) || this.#entries.has(id)) continue;
        this.#entries.set(id, { entry: value, seq, durable: true });
        live += 1;
      }
      if (bad) this.options.onSkipped?.(results, bad);
      if (live === 0) {
        await this.#unlinkSegment(seq, { results: true, acks: Boolean(acks) });
        continue;
      }
      this.#segments.set(seq, { live, bytes });
      this.#created.add(seq);
      this.#diskBytes += bytes;
    }
    this.#active = maxSeq + 1;
    this.#opened = true;
    // The limits may be lower than when these were written.
    this.#enforceBounds(0);
    this.#schedule();
    return { recovered: this.#entries.size };
  }

  push(entry: QueuedResult): void {
    if (!this.#opened || this.#closed) throw new Error('the spool is not open');
    const line = encodeLine(JSON.stringify(entry));
    const bytes = Buffer.byteLength(line);
    if (bytes > this.options.maxBytes) {
      // Larger than the whole budget: it cannot be kept without breaking the bound.
      this.#dropped += 1;
      this.options.onDrop?.(entry);
      return;
    }
    const existing = this.#entries.get(entry.result.id);
    if (existing) this.#remove(entry.result.id, existing); // the same result again: keep the newest copy once
    this.#enforceBounds(bytes);
    if ((this.#segments.get(this.#active)?.bytes ?? 0) + bytes > this.#segmentBytes && this.#segments.has(this.#active)) this.#active += 1;
    const segment = this.#segment(this.#active);
    segment.live += 1;
    segment.bytes += bytes;
    this.#diskBytes += bytes;
    this.#entries.set(entry.result.id, { entry, seq: this.#active, durable: false });
    this.#pendingRecords.push({ id: entry.result.id, seq: this.#active, line });
    this.#schedule();
  }

  peek(max: number): QueuedResult[] {
    const out: QueuedResult[] = [];
    if (max <= 0) return out;
    for (const e of this.#entries.values()) {
      out.push(e.entry);
      if (out.length >= max) break;
    }
    return out;
  }

  acknowledge(resultIds: Iterable<string>): number {
    let removed = 0;
    for (const id of resultIds) {
      const e = this.#entries.get(id);
      if (!e) continue;
      this.#remove(id, e);
      removed += 1;
    }
    if (removed) this.#schedule();
    return removed;
  }

  /** Writes out everything pushed or acknowledged so far (and deletes finished segments). */
  async commit(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    while (this.#committing) await this.#committing;
    if (this.#pendingRecords.length === 0 && this.#pendingAcks.size === 0 && this.#doomed.length === 0 && !this.#hasDeadSegments()) return;
    this.#committing = this.#commitOnce().finally(() => (this.#committing = undefined));
    await this.#committing;
    if (this.#pendingRecords.length || this.#pendingAcks.size || this.#doomed.length) this.#schedule();
  }

  /** Commits what is pending (a failure is reported through onError, not thrown) and stops. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.commit().catch((err: Error) => this.options.onError?.(err));
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #segment(seq: number): Segment {
    let s = this.#segments.get(seq);
    if (!s) {
      s = { live: 0, bytes: 0 };
      this.#segments.set(seq, s);
    }
    return s;
  }

  #remove(id: string, e: Entry): void {
    this.#entries.delete(id);
    const segment = this.#segments.get(e.seq);
    if (segment) segment.live -= 1;
    if (!e.durable || !segment) return; // never written, or its whole segment is going: no record needed
    const ackLine = Buffer.byteLength(id) + 1;
    const list = this.#pendingAcks.get(e.seq) ?? [];
    if (list.length === 0) {
      this.#pendingAcks.set(e.seq, list);
      segment.bytes += 18; // checksum, space and newline of the line these ids will share
      this.#diskBytes += 18;
    }
    list.push(id);
    segment.bytes += ackLine;
    this.#diskBytes += ackLine;
  }

  /** Evicts the oldest results until one more of `incoming` bytes fits both bounds. */
  #enforceBounds(incoming: number): void {
    while (this.#entries.size > 0 && this.#entries.size + (incoming > 0 ? 1 : 0) > this.options.maxResults) {
      const [id, e] = this.#entries.entries().next().value as [string, Entry];
      this.#remove(id, e);
      this.#dropped += 1;
      this.options.onDrop?.(e.entry);
    }
    while (this.#diskBytes + incoming > this.options.maxBytes && this.#segments.size > 0) {
      // Disk is bounded by whole segments: evict the oldest segment's remaining results at once.
      const oldest = Math.min(...this.#segments.keys());
      if (oldest === this.#active) this.#active += 1;
      const segment = this.#segments.get(oldest)!;
      for (const [id, e] of this.#entries) {
        if (e.seq !== oldest) break; // entries are in segment order
        this.#entries.delete(id);
        this.#dropped += 1;
        this.options.onDrop?.(e.entry);
      }
      this.#segments.delete(oldest);
      this.#diskBytes -= segment.bytes;
      this.#pendingAcks.delete(oldest);
      this.#doomed.push(oldest);
    }
  }

  #hasDeadSegments(): boolean {
    for (const s of this.#segments.values()) if (s.live === 0) return true;
    return false;
  }

  #schedule(): void {
    if (this.#timer || this.#closed || !this.#opened) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.commit().catch((err: Error) => this.options.onError?.(err));
    }, this.#commitDelayMs);
    this.#timer.unref();
  }

  async #commitOnce(): Promise<void> {
    const { dir } = this.options;
    // Take what is pending now; anything pushed or acknowledged meanwhile waits for the next commit.
    // A record acknowledged or evicted before it was written is never written; its bytes stay
    // counted until its segment is deleted, so the disk budget errs on the safe side.
    const records = this.#pendingRecords.filter((r) => {
      const e = this.#entries.get(r.id);
      return e?.seq === r.seq && !e.durable;
    });
    this.#pendingRecords = [];
    for (const r of records) this.#entries.get(r.id)!.durable = true;
    const acks = this.#pendingAcks;
    this.#pendingAcks = new Map();
    const bySeq = new Map<number, string[]>();
    for (const r of records) {
      const lines = bySeq.get(r.seq);
      if (lines) lines.push(r.line);
      else bySeq.set(r.seq, [r.line]);
    }
    for (const [seq, lines] of bySeq) {
      if (!this.#segments.has(seq)) continue;
      await this.#append(seq, 'results', lines.join(''));
    }
    for (const [seq, ids] of acks) {
      if (!this.#segments.has(seq) || ids.length === 0) continue;
      await this.#append(seq, 'acks', encodeLine(ids.join(',')));
    }
    // Finished segments go (the active one too: the next push starts a new file).
    for (const [seq, s] of this.#segments) {
      if (s.live > 0) continue;
      if (seq === this.#active) this.#active += 1;
      this.#segments.delete(seq);
      this.#diskBytes -= s.bytes;
      this.#doomed.push(seq);
    }
    const doomed = this.#doomed;
    this.#doomed = [];
    for (const seq of doomed) await this.#unlinkSegment(seq, { results: true, acks: true });
  }

  async #append(seq: number, kind: 'results' | 'acks', text: string): Promise<void> {
    const path = join(this.options.dir, `${seqName(seq)}.${kind}`);
    const handle = await open(path, 'a');
    try {
      await handle.write(text);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    if (kind === 'results' && !this.#created.has(seq)) {
      this.#created.add(seq);
      await this.#syncDir();
    }
  }

  async #syncDir(): Promise<void> {
    // A new file's name is durable once its directory is synced (ext4, xfs); not all platforms allow it.
    try {
      const handle = await open(this.options.dir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch {
      /* directories cannot be opened for sync on every platform (e.g. Windows) */
    }
  }

  async #unlinkSegment(seq: number, which: { results: boolean; acks: boolean }): Promise<void> {
    this.#created.delete(seq);
    // The results file first: an acks file without its results file is recognised and removed.
    if (which.results) await this.#unlink(join(this.options.dir, `${seqName(seq)}.results`));
    if (which.acks) await this.#unlink(join(this.options.dir, `${seqName(seq)}.acks`));
  }

  async #unlink(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.options.onError?.(err as Error);
    }
  }

  #lines(text: string): { payloads: string[]; skipped: number } {
    const parts = text.split('\n');
    // The last part is '' after a complete last line; anything else is a torn write.
    const tail = parts.pop() ?? '';
    let skipped = tail.length > 0 ? 1 : 0;
    const payloads: string[] = [];
    for (const line of parts) {
      const payload = decodeLine(line);
      if (payload === undefined) skipped += 1;
      else payloads.push(payload);
    }
    return { payloads, skipped };
  }
}
