import type { DeploymentObjectRef } from '@aic/plugin-model-marketplace-common';

/**
 * A Kubernetes object as the deployer renders and applies it.
 *
 * @public
 */
export type KubernetesManifest = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Record<string, any>;
};

/** A Kubernetes object as read from the cluster. @public */
export type LiveObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    generation?: number;
    resourceVersion?: string;
    uid?: string;
    managedFields?: unknown[];
  };
  spec?: Record<string, any>;
  status?: Record<string, any>;
};

/** The reference of a manifest. @public */
export function refOf(obj: {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}): DeploymentObjectRef {
  return {
    apiVersion: obj.apiVersion ?? '',
    kind: obj.kind ?? '',
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
  };
}

/** `Kind namespace/name`, for messages. @public */
export function describeRef(ref: DeploymentObjectRef): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}
