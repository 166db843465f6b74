import { HttpReceiver, isJson, isObject, problemList } from './http-receiver.ts';

// Slack's documented limits (docs.slack.dev/reference/block-kit/blocks and the block pages), plus the
// undocumented total at which Slack answers msg_blocks_too_long (~13k characters, bolt-js#2509).
const limits = { blocks: 50, header: 150, section: 3000, fields: 10, field: 2000, context: 10, blockId: 255, text: 40_000, total: 12_000 };
const blockTypes = new Set(['header', 'section', 'context', 'divider', 'actions', 'image', 'rich_text']);

function textObject(check: (ok: boolean, m: string) => void, where: string, t: unknown, max: number, types = ['plain_text', 'mrkdwn']): number {
  if (!isObject(t)) {
    check(false, `${where} must be a text object`);
    return 0;
  }
  check(types.includes(String(t.type)), `${where}.type must be one of ${types.join(', ')}`);
  check(typeof t.text === 'string' && t.text.length > 0, `${where}.text must be a non-empty string`);
  const length = typeof t.text === 'string' ? t.text.length : 0;
  check(length <= max, `${where}.text has ${length} characters, more than ${max}`);
  return length;
}

/** Validates an incoming-webhook message the way Slack does; returns the problems found. */
export function slackProblems(headers: Record<string, unknown>, json: unknown): string[] {
  const { problems, check } = problemList();
  check(isJson(headers as never), 'content-type must be application/json');
  if (!isObject(json)) return [...problems, 'body must be a JSON object'];
  check(typeof json.text === 'string' && json.text.length > 0, 'a fallback "text" is required with blocks');
  check(typeof json.text !== 'string' || json.text.length <= limits.text, `text longer than ${limits.text}`);
  const blocks = json.blocks;
  if (blocks === undefined) return problems;
  if (!Array.isArray(blocks)) return [...problems, 'blocks must be an array'];
  check(blocks.length <= limits.blocks, `${blocks.length} blocks, more than ${limits.blocks}`);
  let total = 0;
  blocks.forEach((b, i) => {
    const at = `blocks[${i}]`;
    if (!isObject(b)) return check(false, `${at} must be an object`);
    check(blockTypes.has(String(b.type)), `${at}.type "${String(b.type)}" is not a block type`);
    if (b.block_id !== undefined) check(typeof b.block_id === 'string' && b.block_id.length <= limits.blockId, `${at}.block_id longer than ${limits.blockId}`);
    if (b.type === 'header') total += textObject(check, `${at}.text`, b.text, limits.header, ['plain_text']);
    if (b.type === 'section') {
      check(b.text !== undefined || b.fields !== undefined, `${at} needs text or fields`);
      if (b.text !== undefined) total += textObject(check, `${at}.text`, b.text, limits.section);
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields)) return check(false, `${at}.fields must be an array`);
        check(b.fields.length <= limits.fields, `${at}.fields has ${b.fields.length} items, more than ${limits.fields}`);
        b.fields.forEach((f, j) => (total += textObject(check, `${at}.fields[${j}]`, f, limits.field)));
      }
    }
    if (b.type === 'context') {
      if (!Array.isArray(b.elements) || b.elements.length === 0) return check(false, `${at}.elements must be a non-empty array`);
      check(b.elements.length <= limits.context, `${at}.elements has ${b.elements.length} items, more than ${limits.context}`);
      b.elements.forEach((e, j) => (total += textObject(check, `${at}.elements[${j}]`, e, limits.field)));
    }
  });
  check(total <= limits.total, `blocks hold ${total} characters of text; Slack refuses about 13k as msg_blocks_too_long`);
  return problems;
}

/** A Slack incoming webhook: 200 "ok", or 400 "invalid_payload" as Slack answers a malformed message. */
export function slackReceiver(): HttpReceiver {
  return new HttpReceiver(({ method, headers, json }) => {
    const problems = method === 'POST' ? slackProblems(headers, json) : ['method must be POST'];
    return { problems, answer: problems.length ? { status: 400, body: 'invalid_payload', contentType: 'text/html' } : { status: 200, body: 'ok', contentType: 'text/html' } };
  });
}
