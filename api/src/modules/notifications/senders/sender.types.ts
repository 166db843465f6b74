import type { Dispatcher } from 'undici';
import type { ChannelInput, ChannelType } from '../../../contract/alerting.schema.ts';

/** One alert of a notification group, as every sender sees it. */
export interface NotificationAlert {
  instanceId: string;
  ruleId: string;
  ruleName: string;
  severity: 'critical' | 'error' | 'warning' | 'info';
  state: 'firing' | 'resolved';
  labels: Record<string, string>;
  /** runbook_url, when the rule has one, is read from here. */
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string | null;
  value: number | null;
  url: string | null;
}

/** What one outbox row asks a channel to say. */
export interface NotificationMessage {
  kind: 'firing' | 'resolved' | 'test';
  /** Outbox row id, stable across retries: webhook-id, the e-mail Message-ID. */
  id: string;
  /** Stable per (group, channel): PagerDuty dedup_key and Datadog aggregation_key, so trigger and resolve pair up. */
  dedupKey: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  team: string;
  title: string;
  /** The rendered message (see contract/message-template.ts). */
  text: string;
  alerts: NotificationAlert[];
  consoleUrl: string | null;
}

/** The outcome of one attempt. Errors and details never contain a secret of the channel. */
export type SendOutcome =
  | { ok: true; status: number; detail: string }
  | { ok: false; retryable: boolean; retryAfterMs?: number; status?: number; error: string };

export interface SendContext {
  /** Whole attempt: connect, request and the bounded read of the answer. */
  timeoutMs: number;
  /** undici dispatcher for HTTP senders (default: undici's global one). */
  dispatcher?: Dispatcher;
  now: () => number;
  /** Extra certificate authorities trusted for SMTP TLS (PEM); the system store otherwise. */
  smtpCa?: string | string[];
}

/** The type config of each channel type, with its secrets merged in. */
export type ChannelConfigs = { [T in ChannelType]: NonNullable<ChannelInput[T]> };

/** Delivers messages to one channel type. Never throws: every failure is a SendOutcome. */
export interface ChannelSender<C> {
  type: ChannelType;
  send(config: C, message: NotificationMessage, ctx: SendContext): Promise<SendOutcome>;
}
