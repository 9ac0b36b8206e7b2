import {
  LABEL_MODEL,
  LABEL_MODEL_VERSION,
  ModelEntityV1alpha1,
} from '@aic/plugin-model-marketplace-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { labelValue } from './deploymentName';
import type { DiscoveredWorkload } from './KubernetesWorkloadDiscovery';

/** The model (and version) a discovered workload serves. @public */
export type DiscoveredWorkloadMatch = {
  /** Entity ref of the model. */
  model: string;
  /** The matching version; empty when only the model is known. */
  version: string;
  /** What matched: the `aic.dev/model` label or a version's artifact URI. */
  by: 'label' | 'storage-uri';
};

/** `s3://b/p/` and `s3://b/p` are the same location. */
function normalizeUri(uri: string): string {
  return uri.trim().replace(/\/+$/, '');
}

/**
 * Matches a discovered workload to a catalog model: first by the
 * `aic.dev/model` label (and `aic.dev/model-version`, or the artifact URI,
 * for the version), then by a storage URI equal to a version's artifact.
 * `undefined` when no model matches, or when a URI is the artifact of more
 * than one model (ambiguous: better unmatched than shown on the wrong page).
 *
 * @public
 */
export function matchDiscoveredWorkload(
  workload: Pick<DiscoveredWorkload, 'labels' | 'storageUris'>,
  models: readonly ModelEntityV1alpha1[],
): DiscoveredWorkloadMatch | undefined {
  const uris = new Set(workload.storageUris.map(normalizeUri));
  const versionByUri = (model: ModelEntityV1alpha1) =>
    (model.spec.versions ?? []).find(v => uris.has(normalizeUri(v.artifact)));

  const labelled = workload.labels[LABEL_MODEL];
  if (labelled) {
    const model = models.find(m => labelValue(m.metadata.name) === labelled);
    if (model) {
      const labelledVersion = workload.labels[LABEL_MODEL_VERSION];
      const version =
        (labelledVersion &&
          (model.spec.versions ?? []).find(
            v => labelValue(v.version) === labelledVersion,
          )) ||
        versionByUri(model);
      return {
        model: stringifyEntityRef(model),
        version: version ? version.version : '',
        by: 'label',
      };
    }
  }

  const byUri = models.flatMap(model => {
    const version = versionByUri(model);
    return version ? [{ model, version }] : [];
  });
  if (byUri.length !== 1) {
    return undefined;
  }
  return {
    model: stringifyEntityRef(byUri[0].model),
    version: byUri[0].version.version,
    by: 'storage-uri',
  };
}
