import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type { DeploymentRecord } from '@aic/plugin-model-marketplace-common';
import { DeploymentStatusChip } from './DeploymentStatusChip';

const deployment = (extra: Partial<DeploymentRecord>): DeploymentRecord => ({
  id: 'd1',
  model: 'model:default/m',
  version: '1.0.0',
  team: 'group:default/t',
  cluster: 'sandbox',
  namespace: 'ns',
  workload: 'm-1-0-0',
  objects: [],
  status: 'deployed',
  deployedBy: 'user:default/u',
  createdAt: '2026-12-01T10:00:00Z',
  updatedAt: '2026-12-01T10:00:00Z',
  ...extra,
});

const ready = {
  state: 'ready' as const,
  readyReplicas: 1,
  desiredReplicas: 1,
  checkedAt: '2026-12-01T10:00:00Z',
};

describe('DeploymentStatusChip', () => {
  it.each([
    [deployment({ live: ready }), 'Ready (1/1)'],
    // a failed rollback leaves a live, even ready, object: it must not read as Ready
    [deployment({ status: 'rollback-failed', live: ready }), 'Rollback failed'],
    [deployment({ status: 'rolled-back' }), 'Rolled back'],
    [deployment({ status: 'failed', live: ready }), 'Failed'],
    [deployment({ status: 'deploying' }), 'deploying'],
    [deployment({ status: 'undeployed', live: ready }), 'Undeployed'],
    [
      deployment({
        live: { ...ready, state: 'progressing', readyReplicas: undefined },
      }),
      'Progressing (0/1)',
    ],
    [deployment({ live: { ...ready, state: 'failed' } }), 'Failed'],
    [
      deployment({ live: { state: 'missing', checkedAt: ready.checkedAt } }),
      'Missing',
    ],
    [
      deployment({
        live: { state: 'unknown' as any, checkedAt: ready.checkedAt },
      }),
      'Unknown',
    ],
  ])('shows %#: %s', async (d, text) => {
    await renderInTestApp(<DeploymentStatusChip deployment={d} />);
    expect(screen.getByText(text)).toBeInTheDocument();
  });
});
