import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** A PEM certificate and its private key. */
export interface CertificatePair {
  certPem: string;
  keyPem: string;
}

/** Everything the control plane needs to serve TLS and sign tokens. */
export interface ControlPlaneCertificates {
  ca: CertificatePair;
  /** kube-apiserver's serving certificate (127.0.0.1, localhost, the service IP). */
  apiserver: CertificatePair;
  /** A client certificate in group system:masters, for the components and setup. */
  admin: CertificatePair;
  /** The key pair that signs and verifies service account tokens. */
  serviceAccount: { publicKeyPem: string; privateKeyPem: string };
}

function serial(): string {
  // positive, 16 bytes
  return `01${randomBytes(15).toString('hex')}`;
}

function validity(cert: forge.pki.Certificate) {
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60_000);
  cert.validity.notAfter = new Date(now + 7 * 24 * 60 * 60_000);
}

/** An RSA key pair made by Node's native crypto (forge's is slow), as forge keys. */
function keyPair(): forge.pki.rsa.KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey),
  };
}

/**
 * Generates a fresh CA, a serving certificate for kube-apiserver, an admin
 * client certificate and the service account signing key. Everything lives
 * one week; a test environment makes new ones each start.
 */
export function generateControlPlaneCertificates(options: {
  /** The first IP of the service range (the `kubernetes` Service). */
  serviceIp: string;
}): ControlPlaneCertificates {
  const caKeys = keyPair();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serial();
  validity(ca);
  const caSubject = [
    { name: 'commonName', value: 'aic-kube-testenv-ca' },
    { name: 'organizationName', value: 'aic kubernetes testenv' },
  ];
  ca.setSubject(caSubject);
  ca.setIssuer(caSubject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const issue = (
    subject: { commonName: string; organization?: string },
    usage: { server?: boolean; client?: boolean },
    altNames: Array<{ type: number; ip?: string; value?: string }> = [],
  ): CertificatePair => {
    const keys = keyPair();
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = serial();
    validity(cert);
    cert.setSubject([
      { name: 'commonName', value: subject.commonName },
      ...(subject.organization
        ? [{ name: 'organizationName', value: subject.organization }]
        : []),
    ]);
    cert.setIssuer(caSubject);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      {
        name: 'keyUsage',
        digitalSignature: true,
        keyEncipherment: true,
        critical: true,
      },
      {
        name: 'extKeyUsage',
        serverAuth: Boolean(usage.server),
        clientAuth: Boolean(usage.client),
      },
      ...(altNames.length ? [{ name: 'subjectAltName', altNames }] : []),
      {
        name: 'authorityKeyIdentifier',
        keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes(),
      },
    ]);
    cert.sign(caKeys.privateKey, forge.md.sha256.create());
    return {
      certPem: forge.pki.certificateToPem(cert),
      keyPem: forge.pki.privateKeyToPem(keys.privateKey),
    };
  };

  const apiserver = issue({ commonName: 'kube-apiserver' }, { server: true }, [
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: options.serviceIp },
    { type: 2, value: 'localhost' },
    { type: 2, value: 'kubernetes' },
    { type: 2, value: 'kubernetes.default' },
    { type: 2, value: 'kubernetes.default.svc' },
    { type: 2, value: 'kubernetes.default.svc.cluster.local' },
  ]);
  const admin = issue(
    { commonName: 'aic-testenv-admin', organization: 'system:masters' },
    { client: true },
  );
  const saKeys = keyPair();
  return {
    ca: {
      certPem: forge.pki.certificateToPem(ca),
      keyPem: forge.pki.privateKeyToPem(caKeys.privateKey),
    },
    apiserver,
    admin,
    serviceAccount: {
      publicKeyPem: forge.pki.publicKeyToPem(saKeys.publicKey),
      privateKeyPem: forge.pki.privateKeyToPem(saKeys.privateKey),
    },
  };
}
