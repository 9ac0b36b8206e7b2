import YAML from 'yaml';
import { SandboxUser } from './TokenAuth';

/**
 * A kubeconfig with one cluster named 'sandbox' and one user and context per
 * token, named after the token's label. The first context is current.
 */
export function renderKubeconfig(
  url: string,
  caData: string,
  users: SandboxUser[],
): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name: 'sandbox',
        cluster: { server: url, 'certificate-authority-data': caData },
      },
    ],
    users: users.map(u => ({ name: u.label, user: { token: u.token } })),
    contexts: users.map(u => ({
      name: u.label,
      context: {
        cluster: 'sandbox',
        user: u.label,
        ...(Array.isArray(u.namespaces) && u.namespaces.length > 0
          ? { namespace: u.namespaces[0] }
          : {}),
      },
    })),
    'current-context': users[0]?.label ?? '',
  });
}
