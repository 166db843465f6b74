import { channelTypes, type ChannelType } from '../../../contract/alerting.schema.ts';
import type { PharosError } from '../../../contract/errors.ts';
import { channelKind } from '../../channels/channel.kind.ts';

/** What a sender needs of a stored channel: its type and the type's config with the stored secrets merged in. */
export interface ChannelSendConfig {
  type: ChannelType;
  config: unknown;
}

/**
 * Reads a channel row for sending. The only place outside the spec service's write path that opens
 * the write-only secrets column; the result goes to a sender and nowhere else (never logged, returned
 * or audited). The row comes from a SpecRepository holding the SecretBox, so its secrets are
 * decrypted; throws `secret_undecryptable` when they could not be. Undefined when the row's type is
 * not a channel type.
 */
export function channelSendConfig(row: { id: string; type: string | null; spec: unknown; secrets: unknown; secrets_error?: PharosError | undefined }): ChannelSendConfig | undefined {
  const type = row.type as ChannelType;
  if (!channelTypes.includes(type)) return undefined;
  // Sending without the secrets would reach the wrong place or be refused by the vendor: say why instead.
  if (row.secrets_error) throw row.secrets_error;
  const merged = channelKind.secrets!.merge(row.spec as Record<string, unknown>, row.secrets as Record<string, unknown> | null);
  return { type, config: merged[type] };
}
