import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Where the alerting gauges of /metrics read their values at scrape time. */
export interface AlertingGaugeSource {
  firing(): Promise<Array<{ severity: string; team: string; count: number }>>;
  monitors(): Promise<Array<{ monitor: string; service: string; team: string; state: string }>>;
  services(): Promise<Array<{ service: string; team: string; state: string }>>;
}

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

  readonly alertEvaluation = new Histogram({
    name: 'pharos_alert_evaluation_seconds',
    help: 'Time to evaluate one alert rule (all its instances) and write its changes.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly notificationAttempts = new Counter({
    name: 'pharos_notification_attempts_total',
    help: 'Notification delivery attempts by channel type and outcome (delivered, retry, dead).',
    labelNames: ['channel_type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly notificationSendSeconds = new Histogram({
    name: 'pharos_notification_send_seconds',
    help: 'Time of one notification delivery attempt, by channel type.',
    labelNames: ['channel_type'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  notificationAttempt(channelType: string, outcome: 'delivered' | 'retry' | 'dead', seconds: number): void {
    this.notificationAttempts.inc({ channel_type: channelType, outcome });
    this.notificationSendSeconds.observe({ channel_type: channelType }, seconds);
  }

  /** Registers the gauge of open live streams (GET /v1/stream) of this process. */
  observeLive(streams: () => number): void {
    new Gauge({ name: 'pharos_live_streams', help: 'Open live update streams (GET /v1/stream) of this process.', registers: [this.registry], collect() { this.set(streams()); } });
  }

  /**
   * Registers the alerting gauges, read from the database at scrape time: firing alerts by severity
   * and team, and the state of each monitor and service (1 on the series of its current state).
   */
  observeAlerting(read: AlertingGaugeSource): void {
    new Gauge({
      name: 'pharos_alerts_firing', help: 'Alerts firing, by severity and team.', labelNames: ['severity', 'team'] as const, registers: [this.registry],
      async collect() {
        this.reset();
        for (const r of await read.firing()) this.set({ severity: r.severity, team: r.team }, r.count);
      },
    });
    new Gauge({
      name: 'pharos_monitor_state', help: 'Current state of each monitor: 1 on the series of its state.', labelNames: ['monitor', 'service', 'team', 'state'] as const, registers: [this.registry],
      async collect() {
        this.reset();
        for (const r of await read.monitors()) this.set({ monitor: r.monitor, service: r.service, team: r.team, state: r.state }, 1);
      },
    });
    new Gauge({
      name: 'pharos_service_state', help: 'Current state of each service: 1 on the series of its state.', labelNames: ['service', 'team', 'state'] as const, registers: [this.registry],
      async collect() {
        this.reset();
        for (const r of await read.services()) this.set({ service: r.service, team: r.team, state: r.state }, 1);
      },
    });
  }

  constructor(poolStats: () => { total: number; idle: number; waiting: number }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'pharos_' });
    const pool = (name: string, help: string, pick: (s: ReturnType<typeof poolStats>) => number) =>
      new Gauge({ name, help, registers: [this.registry], collect() { this.set(pick(poolStats())); } });
    pool('pharos_db_pool_connections', 'Database connections open.', (s) => s.total);
    pool('pharos_db_pool_idle_connections', 'Database connections idle.', (s) => s.idle);
    pool('pharos_db_pool_waiting_requests', 'Queries waiting for a database connection.', (s) => s.waiting);
  }
}
