import { RESOURCE_TYPES, ResourceType, apiVersionOf } from './ResourceTypes';

const OBJECT_VERBS = [
  'create',
  'delete',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];
const SUBRESOURCE_VERBS = ['get', 'patch', 'update'];

/** The body of `GET /version`. */
export function versionInfo() {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-sandbox',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** The body of `GET /api`. */
export function coreApiVersions() {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [
      { clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' },
    ],
  };
}

function groupVersions(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const t of RESOURCE_TYPES) {
    if (!t.group) continue;
    const versions = groups.get(t.group) ?? [];
    if (!versions.includes(t.version)) versions.push(t.version);
    groups.set(t.group, versions);
  }
  return groups;
}

function apiGroup(name: string, versions: string[]) {
  const list = versions.map(v => ({
    groupVersion: `${name}/${v}`,
    version: v,
  }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** The body of `GET /apis`: the non-aggregated group list. */
export function apiGroupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupVersions()].map(([name, versions]) =>
      apiGroup(name, versions),
    ),
  };
}

/** The body of `GET /apis/<group>`, or undefined when the group is unknown. */
export function apiGroupInfo(group: string) {
  const versions = groupVersions().get(group);
  if (!versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) };
}

function resourceEntries(t: ResourceType) {
  const main = {
    name: t.plural,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: OBJECT_VERBS,
    ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
    ...(t.categories ? { categories: t.categories } : {}),
  };
  if (!t.hasStatus) return [main];
  return [
    main,
    {
      name: `${t.plural}/status`,
      singularName: '',
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: SUBRESOURCE_VERBS,
    },
  ];
}

/**
 * The body of `GET /api/v1` or `GET /apis/<group>/<version>`, or undefined
 * when the group version is unknown.
 */
export function apiResourceList(group: string, version: string) {
  const types = RESOURCE_TYPES.filter(
    t => t.group === group && t.version === version,
  );
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(types[0]),
    resources: types.flatMap(resourceEntries),
  };
}
