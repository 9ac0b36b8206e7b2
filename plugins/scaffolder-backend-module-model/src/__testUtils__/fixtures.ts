import type {
  CreateDeploymentRecordRequest,
  DeploymentRecord,
  UpdateDeploymentRecordRequest,
} from '@aic/plugin-model-marketplace-common';
import type { Entity } from '@backstage/catalog-model';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type {
  ApprovalChecker,
  DeploymentRecorder,
} from '../MarketplaceGateway';

const EXAMPLES = resolve(__dirname, '../../../../examples');

/** The demo catalog: examples/org.yaml and examples/models.yaml. */
export function exampleEntities(): Entity[] {
  return ['org.yaml', 'models.yaml'].flatMap(file =>
    parseAllDocuments(readFileSync(resolve(EXAMPLES, file), 'utf8'))
      .map(d => d.toJSON() as Entity)
      .filter(Boolean)
      .map(e => ({
        ...e,
        metadata: { namespace: 'default', ...e.metadata },
      })),
  );
}

/**
 * Adds to users the memberOf relations the catalog would derive from
 * `spec.memberOf`, which the marketplace backend reads for membership.
 */
export function withMemberOfRelations(entities: Entity[]): Entity[] {
  return entities.map(e =>
    e.kind === 'User'
      ? {
          ...e,
          relations: ((e.spec?.memberOf as string[]) ?? []).map(g => ({
            type: 'memberOf',
            targetRef: `group:default/${g}`,
          })),
        }
      : e,
  );
}

/** Every `cluster/namespace` in examples/org.yaml. */
export function teamNamespaces(): string[] {
  return exampleEntities()
    .map(e => e.metadata.annotations?.['aic.dev/kubernetes-namespaces'])
    .filter((v): v is string => Boolean(v))
    .flatMap(v => v.split(','))
    .map(s => s.trim().split('/')[1]);
}

/**
 * The entities with every namespace of `aic.dev/kubernetes-namespaces`
 * replaced by `ns(namespace)` (a test run's unique namespaces on a shared
 * control plane).
 */
export function withRunNamespaces(
  entities: Entity[],
  ns: (namespace: string) => string,
): Entity[] {
  const KEY = 'aic.dev/kubernetes-namespaces';
  return entities.map(e => {
    const value = e.metadata.annotations?.[KEY];
    if (!value) return e;
    const mapped = value
      .split(',')
      .map(s => {
        const [cluster, namespace] = s.trim().split('/');
        return `${cluster}/${ns(namespace)}`;
      })
      .join(',');
    return {
      ...e,
      metadata: {
        ...e.metadata,
        annotations: { ...e.metadata.annotations, [KEY]: mapped },
      },
    };
  });
}

/** An in-memory recorder. */
export class FakeRecorder implements DeploymentRecorder {
  records = new Map<
    string,
    CreateDeploymentRecordRequest & { updates: UpdateDeploymentRecordRequest[] }
  >();
  async create(request: CreateDeploymentRecordRequest) {
    const id = `dep-${this.records.size + 1}`;
    this.records.set(id, { ...request, updates: [] });
    return { id };
  }
  async update(id: string, request: UpdateDeploymentRecordRequest) {
    this.records.get(id)?.updates.push(request);
  }
  async get(id: string): Promise<DeploymentRecord | undefined> {
    const r = this.records.get(id);
    if (!r) {
      return undefined;
    }
    const last = r.updates.filter(u => u.status !== 'deploying').at(-1);
    if (last?.status === 'undeployed') {
      return undefined;
    }
    return {
      id,
      model: r.model,
      version: r.version,
      team: r.team,
      cluster: r.cluster,
      namespace: r.namespace,
      workload: r.workload ?? '',
      objects: last?.objects ?? r.objects,
      status: last?.status ?? r.status,
      deployedBy: r.deployedBy,
      createdAt: '',
      updatedAt: '',
    };
  }
  async find(query: {
    model: string;
    team: string;
    cluster: string;
    namespace: string;
  }) {
    const out: DeploymentRecord[] = [];
    for (const [id, r] of this.records) {
      if (
        r.model === query.model &&
        r.team === query.team &&
        r.cluster === query.cluster &&
        r.namespace === query.namespace
      ) {
        const record = await this.get(id);
        if (record) out.push(record);
      }
    }
    return out;
  }
}

/** Approvals granted in memory, as `model|team`. */
export class FakeApprovals implements ApprovalChecker {
  approved = new Set<string>();
  async findApprovedRequest(query: { model: string; team: string }) {
    return this.approved.has(`${query.model}|${query.team}`)
      ? { id: `req-${query.model}` }
      : undefined;
  }
}
