import { webcrypto } from 'node:crypto';
// @peculiar/x509 needs the Reflect metadata polyfill loaded before it (its DI container checks at import).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

// Passed explicitly to every call so no global crypto provider has to be set.
type X509Crypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1]>;
type KeyPair = x509.X509CertificateCreateSelfSignedParams['keys'];
const crypto = webcrypto as unknown as X509Crypto;
const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const dayMs = 86_400_000;

export interface TestCa {
  certPem: string;
  name: string;
  keys: KeyPair;
}

export interface TestCert {
  certPem: string;
  keyPem: string;
}

export interface LeafOptions {
  dnsNames?: string[];
  ips?: string[];
  /** Days from now; negative for an expired certificate. */
  validDays?: number;
  commonName?: string;
}

/** A throwaway certificate authority for tests. */
export async function createTestCa(): Promise<TestCa> {
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as KeyPair;
  const name = 'CN=Pharos Test CA';
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name,
      notBefore: new Date(Date.now() - dayMs),
      notAfter: new Date(Date.now() + 365 * dayMs),
      keys,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    },
    crypto,
  );
  return { certPem: cert.toString('pem'), name, keys };
}

/** A server certificate signed by `ca`, or self-signed when `ca` is undefined. */
export async function issueServerCert(ca: TestCa | undefined, options: LeafOptions = {}): Promise<TestCert> {
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as KeyPair;
  const validDays = options.validDays ?? 90;
  // An expired certificate must also have started in the past.
  const notBefore = new Date(Date.now() - Math.max(2, -validDays + 2) * dayMs);
  const notAfter = new Date(Date.now() + validDays * dayMs);
  const subject = `CN=${options.commonName ?? 'localhost'}`;
  const altNames = [
    ...(options.dnsNames ?? ['localhost']).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ips ?? ['127.0.0.1']).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions = [
    new x509.BasicConstraintsExtension(false),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(altNames),
  ];
  const cert = ca
    ? await x509.X509CertificateGenerator.create(
        { serialNumber: randomSerial(), subject, issuer: ca.name, notBefore, notAfter, signingKey: ca.keys.privateKey, publicKey: keys.publicKey, signingAlgorithm: algorithm, extensions },
        crypto,
      )
    : await x509.X509CertificateGenerator.createSelfSigned(
        { serialNumber: randomSerial(), name: subject, notBefore, notAfter, keys, signingAlgorithm: algorithm, extensions },
        crypto,
      );
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem'), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

function randomSerial(): string {
  // Positive: a leading 0x01 keeps the DER integer from being read as negative.
  return `01${Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('hex')}`;
}
