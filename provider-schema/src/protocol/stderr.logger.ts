import type { Logger } from '../engine/logger.port.ts';

/**
 * Logs to stderr with go-plugin's level prefixes, so Terraform shows the lines under
 * TF_LOG at the matching level. stdout is reserved for the handshake line.
 */
export function createStderrLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const at = (level: string) => (message: string) => write(`[${level}] pharos: ${message}\n`);
  return { debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR') };
}
