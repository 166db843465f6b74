import { Type, type Static } from '@sinclair/typebox';

/** Answer of POST /v1/channels/{id}/test: what the vendor said to a test notification. Never holds a secret. */
export const ChannelTestResult = Type.Object({
  ok: Type.Boolean({ description: 'Whether the vendor accepted the test notification.' }),
  status: Type.Optional(Type.Integer({ description: 'HTTP status of the vendor\'s answer (SMTP reply code for e-mail); absent when no answer came.' })),
  detail: Type.Optional(Type.String({ description: 'The vendor\'s answer when ok, truncated to 500 characters.' })),
  error: Type.Optional(Type.String({ description: 'What went wrong when not ok, truncated to 500 characters.' })),
  retryable: Type.Optional(Type.Boolean({ description: 'When not ok: whether a notification would be tried again (429, 5xx, timeouts, connection failures) or is refused for good (other 4xx: fix the channel).' })),
  retry_after_ms: Type.Optional(Type.Integer({ minimum: 0, description: 'The vendor\'s Retry-After, when it sent one.' })),
  duration_ms: Type.Integer({ minimum: 0, description: 'Time from sending to the vendor\'s answer (or the timeout).' }),
});
export type ChannelTestResult = Static<typeof ChannelTestResult>;
