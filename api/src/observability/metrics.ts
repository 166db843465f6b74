import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The control plane's Prometheus metrics, registered on a registry owned by the composition root. */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'pharos_http_requests_total',
    help: 'HTTP requests by route template, method and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'pharos_http_request_duration_seconds',
    help: 'HTTP request latency by route template and method.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30],
    registers: [this.registry],
  });

  constructor(poolStats: () => { total: number; idle: number; waiting: number }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'pharos_' });
    const pool = (name: string, help: string, pick: (s: ReturnType<typeof poolStats>) => number) =>
      new Gauge({ name, help, registers: [this.registry], collect() { this.set(pick(poolStats())); } });
    pool('pharos_db_pool_connections', 'Database connections open.', (s) => s.total);
    pool('pharos_db_pool_idle_connections', 'Database connections idle.', (s) => s.idle);
    pool('pharos_db_pool_waiting_requests', 'Queries waiting for a database connection.', (s) => s.waiting);
  }
}
