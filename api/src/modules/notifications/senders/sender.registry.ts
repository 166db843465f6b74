import type { ChannelType } from '../../../contract/alerting.schema.ts';
import { datadogSender } from './datadog.sender.ts';
import { emailSender } from './email.sender.ts';
import { pagerdutySender } from './pagerduty.sender.ts';
import { slackSender } from './slack.sender.ts';
import { webhookSender } from './webhook.sender.ts';
import type { ChannelConfigs, ChannelSender, NotificationMessage, SendContext, SendOutcome } from './sender.types.ts';

/** One sender per channel type: a channel type without a sender does not compile. */
export type SenderRegistry = { readonly [T in ChannelType]: ChannelSender<ChannelConfigs[T]> & { type: T } };

/** The senders of this process (built by the composition root; tests build their own). */
export function createSenderRegistry(): SenderRegistry {
  return { slack: slackSender, pagerduty: pagerdutySender, datadog: datadogSender, webhook: webhookSender, email: emailSender };
}

/**
 * Sends through the channel type's sender. `config` is the type's config with the stored secrets
 * merged (the channel kind's secrets.merge); a missing config or a sender that throws becomes a
 * permanent failure, so a caller never has to catch.
 */
export async function sendThrough(registry: SenderRegistry, type: ChannelType, config: unknown, message: NotificationMessage, ctx: SendContext): Promise<SendOutcome> {
  if (config === null || typeof config !== 'object') return { ok: false, retryable: false, error: `The channel has no ${type} settings; set the "${type}" object on the channel.` };
  const sender = registry[type] as ChannelSender<unknown> | undefined;
  if (!sender) return { ok: false, retryable: false, error: `No sender for channel type "${type}".` };
  try {
    return await sender.send(config, message, ctx);
  } catch (error) {
    // Senders do not throw; if one ever does, its message may hold anything, so only its kind is kept.
    return { ok: false, retryable: false, error: `The ${type} sender failed unexpectedly (${error instanceof Error ? error.name : 'error'}).` };
  }
}
