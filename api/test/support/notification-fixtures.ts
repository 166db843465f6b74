import type { NotificationAlert, NotificationMessage, SendContext } from '../../src/modules/notifications/senders/sender.types.ts';

/** One alert as the router hands it to senders. */
export function sampleAlert(over: Partial<NotificationAlert> = {}): NotificationAlert {
  return {
    instanceId: 'ain_01JCHECKOUT',
    ruleId: 'alr_01JCHECKOUT',
    ruleName: 'checkout-down',
    severity: 'critical',
    state: 'firing',
    labels: { alertname: 'checkout-down', service: 'checkout', team: 'payments', region: 'us-east-1', severity: 'critical' },
    annotations: { runbook_url: 'https://runbooks.example.com/checkout' },
    startsAt: '2026-12-01T12:00:00.000Z',
    endsAt: null,
    value: 1,
    url: 'https://pharos.example.com/alerts/ain_01JCHECKOUT',
    ...over,
  };
}

/** A firing notification of one group with one alert. */
export function sampleMessage(over: Partial<NotificationMessage> = {}): NotificationMessage {
  return {
    kind: 'firing',
    id: 'ntf_01JOUTBOXROW0001',
    dedupKey: 'payments/checkout-down/service=checkout',
    groupKey: '{}/{team="payments"}:{alertname="checkout-down",service="checkout"}',
    groupLabels: { alertname: 'checkout-down', service: 'checkout' },
    team: 'payments',
    title: 'checkout-down: checkout',
    text: 'Checkout is down in us-east-1 (value 1). Runbook: https://runbooks.example.com/checkout',
    alerts: [sampleAlert()],
    consoleUrl: 'https://pharos.example.com/alerts?group=checkout',
    ...over,
  };
}

/** The same group, resolved. */
export function resolvedMessage(over: Partial<NotificationMessage> = {}): NotificationMessage {
  return sampleMessage({ kind: 'resolved', id: 'ntf_01JOUTBOXROW0002', alerts: [sampleAlert({ state: 'resolved', endsAt: '2026-12-01T12:05:00.000Z' })], ...over });
}

export const sendContext = (over: Partial<SendContext> = {}): SendContext => ({ timeoutMs: 2_000, now: () => Date.now(), ...over });
