import { StatusCause } from './StatusError';
import { ResourceType } from './ResourceTypes';

const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function validateLabels(labels: unknown, field: string, causes: StatusCause[]) {
  if (labels === undefined) return;
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    causes.push({
      type: 'FieldValueInvalid',
      field,
      message: 'must be a map of strings',
    });
    return;
  }
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (
      (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) ||
      !LABEL_NAME.test(name) ||
      name.length > 63
    ) {
      causes.push({
        type: 'FieldValueInvalid',
        field,
        message: `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      });
    }
    if (
      typeof value !== 'string' ||
      !LABEL_VALUE.test(value) ||
      value.length > 63
    ) {
      causes.push({
        type: 'FieldValueInvalid',
        field: `${field}`,
        message: `Invalid value: "${String(
          value,
        )}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)`,
      });
    }
  }
}

function selectorMatches(
  selector: any,
  labels: Record<string, string> | undefined,
) {
  const matchLabels: Record<string, string> = selector?.matchLabels ?? {};
  return Object.entries(matchLabels).every(([k, v]) => labels?.[k] === v);
}

function validateContainers(
  containers: unknown,
  field: string,
  causes: StatusCause[],
) {
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push({
      type: 'FieldValueRequired',
      field,
      message: 'Required value',
    });
    return;
  }
  containers.forEach((c: any, i: number) => {
    if (!c?.name || !DNS_LABEL.test(c.name)) {
      causes.push({
        type: 'FieldValueRequired',
        field: `${field}[${i}].name`,
        message: 'Required value: a DNS-1123 label',
      });
    }
    if (!c?.image) {
      causes.push({
        type: 'FieldValueRequired',
        field: `${field}[${i}].image`,
        message: 'Required value',
      });
    }
  });
}

/**
 * A light version of the API server's validation: names, labels, and the
 * fields without which a Deployment, Service or InferenceService is useless.
 * Returns the causes; empty when the object is valid.
 */
export function validateObject(type: ResourceType, obj: any): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = obj?.metadata?.name;
  const nameRule =
    type.kind === 'Namespace' || type.kind === 'Service'
      ? DNS_LABEL
      : DNS_SUBDOMAIN;
  if (!name) {
    causes.push({
      type: 'FieldValueRequired',
      field: 'metadata.name',
      message: 'Required value: name or generateName is required',
    });
  } else if (
    !nameRule.test(name) ||
    name.length > (nameRule === DNS_LABEL ? 63 : 253)
  ) {
    causes.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": a lowercase RFC 1123 ${
        nameRule === DNS_LABEL ? 'label' : 'subdomain'
      } must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    });
  }
  validateLabels(obj?.metadata?.labels, 'metadata.labels', causes);
  const spec = obj?.spec;
  if (type.kind === 'Deployment') {
    if (!spec?.selector) {
      causes.push({
        type: 'FieldValueRequired',
        field: 'spec.selector',
        message: 'Required value',
      });
    } else if (
      !selectorMatches(spec.selector, spec?.template?.metadata?.labels)
    ) {
      causes.push({
        type: 'FieldValueInvalid',
        field: 'spec.template.metadata.labels',
        message: 'Invalid value: selector does not match template labels',
      });
    }
    if (
      spec?.replicas !== undefined &&
      (!Number.isInteger(spec.replicas) || spec.replicas < 0)
    ) {
      causes.push({
        type: 'FieldValueInvalid',
        field: 'spec.replicas',
        message: `Invalid value: ${JSON.stringify(
          spec.replicas,
        )}: must be greater than or equal to 0`,
      });
    }
    validateLabels(
      spec?.template?.metadata?.labels,
      'spec.template.metadata.labels',
      causes,
    );
    validateContainers(
      spec?.template?.spec?.containers,
      'spec.template.spec.containers',
      causes,
    );
  }
  if (type.kind === 'Service') {
    const ports = spec?.ports;
    if (
      spec?.type !== 'ExternalName' &&
      (!Array.isArray(ports) || ports.length === 0)
    ) {
      causes.push({
        type: 'FieldValueRequired',
        field: 'spec.ports',
        message: 'Required value',
      });
    } else if (Array.isArray(ports)) {
      ports.forEach((p: any, i: number) => {
        if (!Number.isInteger(p?.port) || p.port < 1 || p.port > 65535) {
          causes.push({
            type: 'FieldValueInvalid',
            field: `spec.ports[${i}].port`,
            message: `Invalid value: ${JSON.stringify(
              p?.port,
            )}: must be between 1 and 65535, inclusive`,
          });
        }
      });
    }
  }
  if (type.kind === 'InferenceService' && !spec?.predictor) {
    causes.push({
      type: 'FieldValueRequired',
      field: 'spec.predictor',
      message: 'Required value',
    });
  }
  return causes;
}
