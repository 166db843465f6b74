// The interface between `npm run bench:scale`'s harness (scale.bench.ts, which builds a fleet of
// `size` monitors on one control plane) and the measurements that run against that fleet.

/** A fleet built by the harness on a throwaway PostgreSQL, with the control plane as its own process. */
export interface ScaleContext {
  /** Monitors in the fleet (10,000 or 100,000). */
  size: number;
  /** The throwaway PostgreSQL the control plane uses (a superuser URL: seeding may write directly). */
  databaseUrl: string;
  /** The control-plane process: base URL, an org-admin API token, its pid (for CPU figures). */
  api: { url: string; adminToken: string; pid: number };
  orgId: string;
  /** The regions the fleet's monitors run in, each with a runner token of that region. */
  regions: Array<{ name: string; runnerToken: string }>;
  teams: Array<{ id: string; name: string }>;
  /** Every service with its team and its monitors' ids. */
  services: Array<{ id: string; name: string; teamId: string; monitorIds: string[] }>;
  /** Prints a progress or result line. */
  out: (line?: string) => void;
}

/** One measured value at one fleet size; figures of the same name across sizes give the growth exponent. */
export interface ScaleFigure {
  name: string;
  size: number;
  value: number;
  unit: string;
  /** A target the value must stay at or under (e.g. 200 for the SLA answer in ms). */
  max?: number;
  /** Extra detail printed beside the value. */
  note?: string;
}

/** A measurement run against a built fleet. */
export type ScaleMeasurement = (ctx: ScaleContext) => Promise<ScaleFigure[]>;

/** Growth exponent k of value ∝ size^k between two sizes (1 = linear, 0 = constant). */
export function growthExponent(small: ScaleFigure, large: ScaleFigure): number {
  if (!(small.value > 0) || !(large.value > 0) || small.size === large.size) return Number.NaN;
  return Math.log(large.value / small.value) / Math.log(large.size / small.size);
}
