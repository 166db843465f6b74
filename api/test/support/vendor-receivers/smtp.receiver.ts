import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A throwaway self-signed certificate for 127.0.0.1 (openssl), for STARTTLS in tests. */
export function localCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pharos-smtp-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ReceivedMail {
  /** Whether the session had upgraded to TLS before DATA. */
  secure: boolean;
  user: string | undefined;
  from: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpReceiverOptions {
  /** Offer STARTTLS (default true). */
  starttls?: boolean;
  /** Require AUTH with these credentials. */
  auth?: { user: string; pass: string };
  /** Refuse mail sent before STARTTLS (default true when STARTTLS is offered). */
  requireTls?: boolean;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1:0 with STARTTLS and AUTH; messages are parsed with
 * mailparser. `fail(n, code)` answers the next n DATA commands with an SMTP error (451 temporary, 550 permanent).
 */
export class SmtpReceiver {
  readonly messages: ReceivedMail[] = [];
  readonly authFailures: string[] = [];
  readonly cert = localCertificate();
  port = 0;
  private readonly faults: number[] = [];
  private readonly server: SMTPServer;

  constructor(private readonly options: SmtpReceiverOptions = {}) {
    const starttls = options.starttls ?? true;
    this.server = new SMTPServer({
      key: this.cert.key,
      cert: this.cert.cert,
      authOptional: !options.auth,
      disabledCommands: [...(options.auth ? [] : ['AUTH']), ...(starttls ? [] : ['STARTTLS'])],
      allowInsecureAuth: false,
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
        this.authFailures.push(auth.username ?? '');
        return callback(new Error('Invalid username or password'));
      },
      onMailFrom: (_address, session, callback) => {
        if (starttls && (options.requireTls ?? true) && !session.secure) return callback(Object.assign(new Error('Must issue a STARTTLS command first'), { responseCode: 530 }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const code = this.faults.shift();
          if (code !== undefined) return callback(Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: code }));
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed) => {
              this.messages.push({ secure: session.secure, user: session.user as string | undefined, from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
              callback(null, 'Message queued as pharos-test');
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    this.server.on('error', () => {});
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    const address = this.server.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  fail(times: number, code: number): this {
    for (let i = 0; i < times; i++) this.faults.push(code);
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
