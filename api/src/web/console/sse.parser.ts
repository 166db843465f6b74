/** One message of a text/event-stream (the fields the console uses). */
export interface SseMessage {
  event: string;
  data: string;
  /** The stream's last event id when the message was dispatched ('' when none was sent yet). */
  id: string;
}

/**
 * Incremental parser of the text/event-stream format as the HTML standard defines it: fed text
 * chunks as they arrive (split anywhere, even inside a CRLF), it returns the messages completed so
 * far and remembers the last event id and the server's retry time.
 */
export class SseParser {
  lastEventId = '';
  retryMs: number | undefined;
  private buffer = '';
  private skipLf = false;
  private event = '';
  private data: string[] = [];

  feed(chunk: string): SseMessage[] {
    const out: SseMessage[] = [];
    let text = chunk;
    if (this.skipLf && text.startsWith('\n')) text = text.slice(1);
    this.skipLf = false;
    this.buffer += text;
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) break;
      const line = this.buffer.slice(0, end);
      const crlf = this.buffer[end] === '\r';
      let rest = this.buffer.slice(end + 1);
      if (crlf) {
        if (rest.startsWith('\n')) rest = rest.slice(1);
        else if (rest === '') this.skipLf = true;
      }
      this.buffer = rest;
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const data = this.data;
    const event = this.event;
    this.data = [];
    this.event = '';
    if (data.length === 0) return undefined;
    return { event: event || 'message', data: data.join('\n'), id: this.lastEventId };
  }
}
