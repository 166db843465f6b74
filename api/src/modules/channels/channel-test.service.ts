import { performance } from 'node:perf_hooks';
import { ulid } from 'ulid';
import type { ChannelTestResult } from '../../contract/channel-test.schema.ts';
import { PharosError, notFound } from '../../contract/errors.ts';
import { requireTeamAccess } from '../../auth/principal.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Db } from '../../db/database.ts';
import { channelSendConfig } from '../notifications/senders/channel-config.ts';
import { sendThrough, type SenderRegistry } from '../notifications/senders/sender.registry.ts';
import type { NotificationMessage, SendContext } from '../notifications/senders/sender.types.ts';
import { SpecRepository } from '../resources/spec.repository.ts';
import type { Caller } from '../resources/spec.service.ts';
import { TeamRepository } from '../teams/team.repository.ts';

export interface ChannelTestSettings {
  /** Deadline of the whole test send (default 10 s). */
  timeoutMs: number;
  /** Transport options passed to senders (tests point them at local receivers). */
  context?: Partial<Omit<SendContext, 'timeoutMs' | 'now'>>;
}

/** The test notification a channel gets: kind "test", no alerts, naming the channel and who asked. */
export function testMessage(channel: { id: string; name: string; type: string }, team: string, actor: string): NotificationMessage {
  const id = `ntest_${ulid()}`;
  return {
    kind: 'test',
    id,
    dedupKey: `pharos-test/${channel.id}/${id}`,
    groupKey: `test:${channel.id}`,
    groupLabels: {},
    team,
    title: `Test notification for channel "${channel.name}"`,
    text: `This is a test of the ${channel.type} channel "${channel.name}" of team ${team}, sent by ${actor}. If you can read it, Pharos alerts reach this channel.`,
    alerts: [],
    consoleUrl: null,
  };
}

/** POST /v1/channels/{id}/test: sends a test notification with the stored secrets and reports the vendor's answer. */
export class ChannelTestService {
  private readonly channels: SpecRepository;
  private readonly teams = new TeamRepository();

  constructor(
    private readonly db: Db,
    private readonly senders: SenderRegistry,
    secrets: SecretBox,
    private readonly settings: ChannelTestSettings,
  ) {
    this.channels = new SpecRepository('channels', secrets);
  }

  async test(caller: Caller, id: string): Promise<ChannelTestResult> {
    const row = await this.channels.get(this.db, caller.principal.orgId, id);
    if (!row) throw notFound('Channel');
    // A test reaches the outside world with the channel's secrets: whoever may change the channel may test it.
    requireTeamAccess(caller.principal, row.team_id, 'write', 'Channel');
    const channel = channelSendConfig(row);
    if (!channel) throw new PharosError('validation_failed', `Channel ${id} has type "${String(row.type)}", which Pharos cannot send to; change its type.`);
    const team = await this.teams.get(this.db, caller.principal.orgId, row.team_id);
    const message = testMessage({ id: row.id, name: row.name, type: channel.type }, team?.name ?? row.team_id, caller.principal.name);
    const started = performance.now();
    const outcome = await sendThrough(this.senders, channel.type, channel.config, message, { ...(this.settings.context ?? {}), timeoutMs: this.settings.timeoutMs, now: () => Date.now() });
    const duration_ms = Math.round(performance.now() - started);
    if (outcome.ok) return { ok: true, status: outcome.status, detail: outcome.detail, duration_ms };
    return {
      ok: false,
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      error: outcome.error,
      retryable: outcome.retryable,
      ...(outcome.retryAfterMs !== undefined ? { retry_after_ms: outcome.retryAfterMs } : {}),
      duration_ms,
    };
  }
}
