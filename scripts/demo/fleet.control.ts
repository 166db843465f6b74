import { dependencyEdges, type FleetModel } from './fleet.model.ts';

// The faults injected into a running fleet: broken services, slow services and cut edges. Pure
// state with validation; the simulator reads it on every request and the control server and CLI
// change it. One instance per fleet.

/** The largest delay `slow` accepts, so a typo cannot park requests for hours. */
export const MAX_SLOW_MS = 60_000;

export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'not_found' | 'validation_failed',
    message: string,
  ) {
    super(message);
  }
}

export interface FleetStatus {
  healthy: boolean;
  broken: string[];
  slow: Array<{ service: string; ms: number }>;
  cuts: Array<{ from: string; to: string }>;
}

export class FleetControl {
  private readonly services: Set<string>;
  private readonly edges: Map<string, string[]>;
  private readonly broken = new Set<string>();
  private readonly slowMs = new Map<string, number>();
  private readonly cuts = new Map<string, Set<string>>();

  constructor(model: FleetModel) {
    this.services = new Set(model.services.map((s) => s.name));
    this.edges = new Map();
    for (const e of dependencyEdges(model)) this.edges.set(e.from, [...(this.edges.get(e.from) ?? []), e.to]);
  }

  /** Every endpoint of the service answers 500, /health too. */
  break(service: string): FleetStatus {
    this.known(service);
    this.broken.add(service);
    return this.status();
  }

  /** Every response of the service is delayed by `ms` (0 removes the delay). */
  slow(service: string, ms: number): FleetStatus {
    this.known(service);
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_SLOW_MS) throw new ControlError(422, 'validation_failed', `The delay must be a whole number of milliseconds from 0 to ${MAX_SLOW_MS}; got "${ms}".`);
    if (ms === 0) this.slowMs.delete(service);
    else this.slowMs.set(service, ms);
    return this.status();
  }

  /** Calls from `from` to `to` fail as if a network policy dropped them; both services stay healthy. */
  cut(from: string, to: string): FleetStatus {
    this.known(from);
    this.known(to);
    const downstream = this.edges.get(from) ?? [];
    if (!downstream.includes(to)) {
      throw new ControlError(422, 'validation_failed', `${from} does not call ${to}, so there is nothing to cut; ${from} calls ${downstream.length ? downstream.join(', ') : 'no other service'}.`);
    }
    const set = this.cuts.get(from) ?? new Set<string>();
    set.add(to);
    this.cuts.set(from, set);
    return this.status();
  }

  /** Removes every fault of one service (its break, its delay, the cuts from and to it), or of all with "all" or no argument. */
  heal(service?: string): FleetStatus {
    if (service === undefined || service === 'all') {
      this.broken.clear();
      this.slowMs.clear();
      this.cuts.clear();
      return this.status();
    }
    this.known(service);
    this.broken.delete(service);
    this.slowMs.delete(service);
    this.cuts.delete(service);
    for (const [from, set] of this.cuts) {
      set.delete(service);
      if (set.size === 0) this.cuts.delete(from);
    }
    return this.status();
  }

  status(): FleetStatus {
    const cuts = [...this.cuts].flatMap(([from, set]) => [...set].map((to) => ({ from, to })));
    return {
      healthy: this.broken.size === 0 && this.slowMs.size === 0 && cuts.length === 0,
      broken: [...this.broken],
      slow: [...this.slowMs].map(([service, ms]) => ({ service, ms })),
      cuts,
    };
  }

  isBroken(service: string): boolean {
    return this.broken.has(service);
  }

  delayOf(service: string): number {
    return this.slowMs.get(service) ?? 0;
  }

  isCut(from: string | undefined, to: string): boolean {
    return from !== undefined && (this.cuts.get(from)?.has(to) ?? false);
  }

  has(service: string): boolean {
    return this.services.has(service);
  }

  private known(service: string): void {
    if (!this.services.has(service)) throw new ControlError(404, 'not_found', `No service named "${service}" in the fleet; known: ${[...this.services].join(', ')}.`);
  }
}

/** One line per fault, or "all healthy". */
export function describeStatus(status: FleetStatus): string {
  if (status.healthy) return 'all healthy';
  return [
    ...status.broken.map((s) => `broken: ${s}`),
    ...status.slow.map((s) => `slow: ${s.service} (+${s.ms} ms)`),
    ...status.cuts.map((c) => `cut: ${c.from} -> ${c.to}`),
  ].join('\n');
}
