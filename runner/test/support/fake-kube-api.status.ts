// metav1.Status objects, shaped as kube-apiserver sends them for failures (HTTP bodies and watch
// ERROR events alike).

export type StatusReason = 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Invalid' | 'Expired' | 'Gone' | 'MethodNotAllowed' | 'Timeout' | 'UnsupportedMediaType' | 'InternalError' | 'RequestEntityTooLarge';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason: string; message: string; field: string }[];
  retryAfterSeconds?: number;
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A failure answered as a Status; thrown by request handlers and written by the router. */
export class KubeStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): KubeStatus {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, ...(this.details ? { details: this.details } : {}), code: this.code };
  }
}

export const badRequest = (message: string) => new KubeStatusError(400, 'BadRequest', message);

/** The watch and list answer for a resourceVersion older than the compacted history. */
export const tooOldResourceVersion = (requested: number, oldest: number) => new KubeStatusError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);

export const expiredContinue = () =>
  new KubeStatusError(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue value from the response to get a consistent list.',
  );
