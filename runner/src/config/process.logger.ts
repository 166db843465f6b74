import { destination as pinoDestination, pino, type Logger } from 'pino';
import { ConfigError, type LogLevel } from './env.reader.ts';

/**
 * A process entry's first step: reads its configuration with `load` and returns it with the
 * process logger (JSON lines on stdout, `service` on every line). A ConfigError is logged as one
 * fatal line naming every wrong variable, and the process exits 1.
 */
export function configuredProcess<T extends { logLevel: LogLevel }>(service: string, load: () => T): { config: T; logger: Logger } {
  const destination = pinoDestination({ dest: 1, sync: true });
  const base = { service };
  let config: T;
  try {
    config = load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    pino({ base, timestamp: pino.stdTimeFunctions.isoTime }, destination).fatal({ code: err.code, problems: err.problems }, `invalid configuration: ${err.message}`);
    process.exit(1);
  }
  return { config, logger: pino({ level: config.logLevel, base, timestamp: pino.stdTimeFunctions.isoTime }, destination) };
}
