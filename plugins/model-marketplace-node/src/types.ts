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
    /** A string as sent by the server; a Date once the client deserialized it. */
    creationTimestamp?: string | Date;
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

/**
 * Kinds whose readiness is a deployment's readiness, in the order a
 * deployment's objects are searched for its workload.
 *
 * @public
 */
export const WORKLOAD_KINDS: readonly string[] = [
  'Deployment',
  'InferenceService',
  'LLMInferenceService',
];
