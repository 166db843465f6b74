import type { Db } from '../../db/database.ts';
import type { LiveSubject } from './live-event.rules.ts';
import type { OwnersOf } from './live-scope.rules.ts';
import type { LiveRepository, OwnedKind } from './live.repository.ts';

const ownedKinds: readonly OwnedKind[] = ['monitor', 'service', 'edge', 'incident'];

/**
 * Subject → owning teams, shared by every stream of the process: a batch of events costs at most
 * one query per subject kind, never one per event or per stream. A subject not yet known, or known
 * longer than the time to live (a service moved to another team), is read again; an incident is
 * read again whenever it changes, as its teams grow with its alerts.
 */
export class LiveOwnersCache {
  private readonly entries = new Map<string, { teams: readonly string[] | undefined; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly repo: LiveRepository,
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Makes the owners of these subjects of one organization known. */
  async load(orgId: string, subjects: readonly LiveSubject[]): Promise<void> {
    const now = this.now();
    const wanted = new Map<OwnedKind, Set<string>>();
    for (const s of subjects) {
      if (s.kind === 'team') continue;
      const held = this.entries.get(key(orgId, s));
      if (held && s.kind !== 'incident' && now - held.at < this.ttlMs) continue;
      (wanted.get(s.kind) ?? wanted.set(s.kind, new Set()).get(s.kind)!).add(s.id);
    }
    if (wanted.size === 0) return;
    // Bounded: past the limit the cache starts over (entries are read again as they are met).
    if (this.entries.size > this.maxEntries) this.entries.clear();
    for (const kind of ownedKinds) {
      const ids = wanted.get(kind);
      if (!ids) continue;
      const found = await this.repo.owners(this.db, orgId, kind, [...ids]);
      for (const id of ids) this.entries.set(key(orgId, { kind, id }), { teams: found.get(id), at: now });
    }
  }

  /** The owners lookup of one organization, answered from what load() read. */
  ownersIn(orgId: string): OwnersOf {
    return (subject) => (subject.kind === 'team' ? [subject.id] : this.entries.get(key(orgId, subject))?.teams);
  }
}

const key = (orgId: string, s: LiveSubject) => `${orgId}|${s.kind}|${s.id}`;
