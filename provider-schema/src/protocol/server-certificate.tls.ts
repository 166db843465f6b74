// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the metadata polyfill first.
import 'reflect-metadata';
import { webcrypto, randomBytes } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface ServerCertificate {
  /** PEM certificate chain for grpc-js. */
  readonly certPem: string;
  /** PKCS#8 PEM private key for grpc-js. */
  readonly keyPem: string;
  /** DER bytes, for the handshake line. */
  readonly der: Buffer;
}

const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;

/**
 * A throw-away self-signed server certificate following go-plugin's template: SAN localhost
 * (Terraform dials ServerName "localhost" and rejects CN-only certificates), CA:TRUE, key
 * usages digitalSignature|keyEncipherment|keyAgreement|certSign, EKU server+client auth, and
 * NotBefore backdated 30 s against clock skew between the two processes.
 */
export async function createServerCertificate(now = new Date()): Promise<ServerCertificate> {
  // x509 is typed against the DOM Crypto interface; Node's WebCrypto implements it.
  const crypto = webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1] & typeof webcrypto;
  const keys = await crypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']);
  const notBefore = new Date(now.getTime() - 30_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: `01${randomBytes(15).toString('hex')}`,
      name: 'CN=localhost, O=HashiCorp',
      notBefore,
      // go-plugin uses 262980 h (~30 years); the process lives minutes, so a day is plenty.
      notAfter: new Date(notBefore.getTime() + 24 * 3600_000),
      signingAlgorithm,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyAgreement | x509.KeyUsageFlags.keyCertSign,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
        new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }]),
      ],
    },
    crypto,
  );
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
  return { certPem: cert.toString('pem'), keyPem, der: Buffer.from(cert.rawData) };
}
