/**
 * The one stdout line go-plugin reads: core version 1, app protocol 6, network, address,
 * "grpc", and the server certificate as DER in standard base64 without padding (Terraform's
 * decoder rejects '='). The cert field is empty when TLS is off.
 */
export function handshakeLine(address: string, certDer: Buffer | undefined, network: 'tcp' | 'unix' = 'tcp'): string {
  const cert = certDer ? certDer.toString('base64').replace(/=+$/, '') : '';
  return `1|6|${network}|${address}|grpc|${cert}\n`;
}
