import { PharosError } from '../../contract/errors.ts';

/** Throws precondition_failed when the client's If-Match version is not the stored one. */
export function checkVersion(label: string, id: string, stored: number, ifMatch: number | undefined): void {
  if (ifMatch !== undefined && ifMatch !== stored) {
    throw new PharosError('precondition_failed', `${label} ${id} changed since you read it (now version ${stored}, you sent ${ifMatch}); fetch it again and reapply your change.`);
  }
}

/** ISO text of a timestamp column, or undefined for null. */
export const iso = (value: Date | string | null | undefined): string | undefined => (value ? new Date(value).toISOString() : undefined);
