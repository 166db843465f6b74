import { Channel, ChannelInput, channelSecretFields, channelTypes } from '../../contract/alerting.schema.ts';
import { isPlainObject } from '../../shared/json.ts';
import { resolveTeam } from '../resources/references.ts';
import { siblingErrors } from '../resources/spec-hooks.ts';
import type { SpecKind } from '../resources/spec-kind.ts';

type Doc = Record<string, unknown>;
const typeOf = (doc: Doc) => String(doc.type) as (typeof channelTypes)[number];

/** Notification channels. Secrets (webhook URLs, keys, passwords) are write-only. */
export const channelKind: SpecKind = {
  type: 'channel',
  label: 'Channel',
  path: 'channels',
  tag: 'Alerting',
  table: 'channels',
  idKind: 'channel',
  input: ChannelInput,
  output: Channel,
  filters: ['type'],
  rules: (doc) => siblingErrors(doc, channelTypes, 'channel'),
  async place(ctx, doc) {
    const team = await resolveTeam(ctx, String(doc.team_id));
    return { teamId: team.id, type: typeOf(doc) };
  },
  secrets: {
    split(doc) {
      const type = typeOf(doc);
      const config = doc[type];
      if (!isPlainObject(config)) return { doc, secrets: null };
      const visible: Doc = { ...config };
      const secrets: Doc = {};
      for (const field of channelSecretFields[type]) {
        if (visible[field] !== undefined) secrets[field] = visible[field];
        delete visible[field];
      }
      return { doc: { ...doc, [type]: visible }, secrets: Object.keys(secrets).length ? { type, ...secrets } : null };
    },
    merge(doc, secrets) {
      const type = typeOf(doc);
      const config = doc[type];
      // Stored secrets apply only while the channel keeps its type; a new type needs new secrets.
      if (!secrets || secrets.type !== type || !isPlainObject(config)) return doc;
      const merged: Doc = { ...config };
      for (const field of channelSecretFields[type]) if (merged[field] === undefined && secrets[field] !== undefined) merged[field] = secrets[field];
      return { ...doc, [type]: merged };
    },
    configured(secrets) {
      if (!secrets) return [];
      const type = String(secrets.type);
      return Object.keys(secrets).filter((k) => k !== 'type').map((k) => `${type}.${k}`).sort();
    },
  },
};
