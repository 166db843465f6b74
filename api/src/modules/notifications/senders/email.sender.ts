import nodemailer from 'nodemailer';
import { formatValue } from '../../../contract/message-template.ts';
import { firstLabel, labelPairs, runbookUrl, subject, worstSeverity } from './message-facts.ts';
import { maxDetailChars, redact, truncate } from './send-outcome.ts';
import type { ChannelConfigs, ChannelSender, NotificationMessage, SendOutcome } from './sender.types.ts';

/** Escapes text for HTML element content and attribute values. */
export const htmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The Message-ID of a notification: derived from the outbox row id, so a retried send is the same message to the receiving side. */
export function emailMessageId(message: NotificationMessage, from: string): string {
  const domain = from.slice(from.lastIndexOf('@') + 1) || 'pharos.invalid';
  return `<pharos.${message.id.replace(/[^A-Za-z0-9._-]/g, '-')}@${domain}>`;
}

function facts(message: NotificationMessage): Array<[string, string]> {
  const service = firstLabel(message, 'service');
  return [
    ['Severity', message.kind === 'test' ? 'info' : worstSeverity(message)],
    ['Team', message.team],
    ...(service ? [['Service', service] as [string, string]] : []),
    ...(runbookUrl(message) ? [['Runbook', runbookUrl(message)!] as [string, string]] : []),
    ...(message.consoleUrl ? [['Pharos', message.consoleUrl] as [string, string]] : []),
  ];
}

const alertLine = (a: NotificationMessage['alerts'][number]) => {
  const value = formatValue(a.value);
  return `${a.ruleName}: ${a.state} (${a.severity})${value ? `, value ${value}` : ''}, since ${a.startsAt}${labelPairs(a.labels).length ? ` [${labelPairs(a.labels).join(', ')}]` : ''}${a.url ? ` ${a.url}` : ''}`;
};

/** Plain-text body. */
export function emailText(message: NotificationMessage): string {
  return [
    subject(message, 998),
    '',
    message.text,
    '',
    ...facts(message).map(([k, v]) => `${k}: ${v}`),
    ...(message.alerts.length ? ['', 'Alerts:', ...message.alerts.slice(0, 100).map((a) => `- ${alertLine(a)}`)] : []),
    ...(message.alerts.length > 100 ? [`- and ${message.alerts.length - 100} more`] : []),
  ].join('\n');
}

const safeHref = (url: string) => (/^https?:\/\//i.test(url) ? htmlEscape(url) : null);
const cell = (value: string) => (safeHref(value) ? `<a href="${safeHref(value)}">${htmlEscape(value)}</a>` : htmlEscape(value));

/** HTML body: every value escaped, links only to http(s) URLs. */
export function emailHtml(message: NotificationMessage): string {
  const rows = facts(message).map(([k, v]) => `<tr><th align="left">${htmlEscape(k)}</th><td>${cell(v)}</td></tr>`).join('');
  const alerts = message.alerts.slice(0, 100).map((a) => `<li>${htmlEscape(alertLine(a))}</li>`).join('');
  return `<!doctype html><html><body><h2>${htmlEscape(subject(message, 998))}</h2><p style="white-space:pre-wrap">${htmlEscape(message.text)}</p><table>${rows}</table>${alerts ? `<ul>${alerts}</ul>` : ''}</body></html>`;
}

// nodemailer's error codes for failures of the connection (worth another try), as opposed to refusals.
const transientCodes = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EGREETING']);

/** SMTP: 4xx replies are temporary (RFC 5321), 5xx permanent; connection failures temporary; auth and TLS refusals permanent. */
export function classifySmtpError(error: unknown, secrets: readonly string[]): SendOutcome {
  const e = error as { code?: string; originalCode?: string; responseCode?: number; message?: string };
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  // A certificate the server cannot prove (self-signed, expired, wrong name) fails the same way next time.
  const certificate = /CERT|SIGNATURE|SELF_SIGNED/.test(String(e.originalCode ?? ''));
  const retryable = status !== undefined ? status >= 400 && status < 500 : !certificate && transientCodes.has(String(e.code));
  const text = truncate(redact(`${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}`, secrets), maxDetailChars);
  return { ok: false, retryable, ...(status !== undefined ? { status } : {}), error: text };
}

/**
 * E-mail over SMTP with nodemailer: implicit TLS on port 465, else STARTTLS required when the
 * channel's starttls is true (the default) and never attempted when false; AUTH when a username is
 * set. The answer's status is the server's final reply code (250).
 */
export const emailSender: ChannelSender<ChannelConfigs['email']> & { type: 'email' } = {
  type: 'email',
  async send(config, message, ctx) {
    const port = config.smtp_port ?? 587;
    const starttls = config.starttls ?? true;
    const secrets = config.smtp_password ? [config.smtp_password] : [];
    let transport: ReturnType<typeof nodemailer.createTransport> | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      transport = nodemailer.createTransport({
        host: config.smtp_host,
        port,
        secure: port === 465,
        requireTLS: port !== 465 && starttls,
        ignoreTLS: port !== 465 && !starttls,
        ...(config.smtp_username ? { auth: { user: config.smtp_username, pass: config.smtp_password ?? '' } } : {}),
        connectionTimeout: ctx.timeoutMs,
        greetingTimeout: ctx.timeoutMs,
        socketTimeout: ctx.timeoutMs,
        ...(ctx.smtpCa ? { tls: { ca: ctx.smtpCa } } : {}),
        logger: false,
        debug: false,
      });
      const sending = transport.sendMail({
        from: config.from,
        to: config.to,
        subject: subject(message, 200),
        text: emailText(message),
        html: emailHtml(message),
        messageId: emailMessageId(message, config.from),
        headers: { 'X-Pharos-Notification': message.kind, 'X-Pharos-Group': truncate(message.groupKey.replace(/[\r\n]+/g, ' '), 200) },
      });
      // After the deadline the send is abandoned: its late failure must not become an unhandled rejection.
      sending.catch(() => {});
      // nodemailer's own timeouts are per phase; this bounds the whole exchange.
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ctx.timeoutMs} ms`), { code: 'ETIMEDOUT' })), ctx.timeoutMs);
      });
      const info = await Promise.race([sending, deadline]);
      const code = Number(/^(\d{3})/.exec(info.response)?.[1] ?? 250);
      if (info.rejected.length > 0) return { ok: false, retryable: false, status: code, error: truncate(`rejected recipients: ${info.rejected.map(String).join(', ')}`, maxDetailChars) };
      return { ok: true, status: code, detail: truncate(redact(info.response, secrets), maxDetailChars) };
    } catch (error) {
      return classifySmtpError(error, secrets);
    } finally {
      clearTimeout(timer);
      transport?.close();
    }
  },
};
