import { generateKeyPairSync } from 'node:crypto';
import selfsigned from 'selfsigned';

/** A server certificate, its key, and the CA to trust it with. */
export interface SandboxCertificate {
  certPem: string;
  keyPem: string;
  /** The PEM a client trusts; the certificate is its own CA. */
  caPem: string;
}

let cached: SandboxCertificate | undefined;

/**
 * A self-signed certificate for 127.0.0.1 and localhost that is also its own
 * CA (basicConstraints CA:TRUE), so clients trust it with
 * `certificate-authority-data` and no skipTLSVerify. Generated once per
 * process: generating RSA keys is the slow part.
 */
export function sandboxCertificate(): SandboxCertificate {
  if (cached) return cached;
  const keyPair = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const attrs = [
    { name: 'commonName', value: 'kubernetes-sandbox' },
    { name: 'organizationName', value: 'aic kubernetes sandbox' },
  ];
  const result = selfsigned.generate(attrs, {
    days: 365,
    algorithm: 'sha256',
    keyPair: { privateKey: keyPair.privateKey, publicKey: keyPair.publicKey },
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      {
        name: 'keyUsage',
        critical: true,
        keyCertSign: true,
        digitalSignature: true,
        keyEncipherment: true,
      },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
      { name: 'subjectKeyIdentifier' },
    ],
  } as Parameters<typeof selfsigned.generate>[1]);
  cached = {
    certPem: result.cert,
    keyPem: keyPair.privateKey,
    caPem: result.cert,
  };
  return cached;
}
