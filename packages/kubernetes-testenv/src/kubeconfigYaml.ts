import YAML from 'yaml';

/** A kubeconfig for the test cluster with one context per user. */
export function kubeconfigYaml(
  url: string,
  caData: string,
  users: Array<{
    name: string;
    token?: string;
    cert?: string;
    key?: string;
    namespace?: string;
  }>,
): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'testenv',
        cluster: { server: url, 'certificate-authority-data': caData },
      },
    ],
    users: users.map(u => ({
      name: u.name,
      user: u.token
        ? { token: u.token }
        : {
            'client-certificate-data': Buffer.from(u.cert!).toString('base64'),
            'client-key-data': Buffer.from(u.key!).toString('base64'),
          },
    })),
    contexts: users.map(u => ({
      name: u.name,
      context: {
        cluster: 'testenv',
        user: u.name,
        ...(u.namespace ? { namespace: u.namespace } : {}),
      },
    })),
    'current-context': users[0]?.name ?? '',
  });
}
