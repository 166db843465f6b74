import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; level from LOG_LEVEL. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: 'pharos-api' }, timestamp: pino.stdTimeFunctions.isoTime }, destination as never);
}
