/*
 * OpenTelemetry metrics for the backend, exported in Prometheus text format.
 * Load it before the backend starts:
 *
 *   node --require ./packages/backend/instrumentation.js packages/backend --config ...
 *
 * (`yarn start` and `yarn start:backend` do this.) It registers a global
 * MeterProvider whose only reader is a Prometheus exporter; Backstage's
 * metrics service (and so every plugin that uses it, the marketplace
 * plugins included) creates its meters from that provider. Without this file
 * the metrics service is a no-op.
 *
 * Environment (named like the OpenTelemetry Node SDK's variables):
 * - OTEL_EXPORTER_PROMETHEUS_PORT: port of the scrape endpoint, default 9464
 * - OTEL_EXPORTER_PROMETHEUS_HOST: address it listens on, default 0.0.0.0
 *   (all interfaces, so that Prometheus can scrape the pod)
 * - OTEL_SERVICE_NAME: the service.name of target_info, default backstage
 * - AIC_METRICS_DISABLED=true: load nothing
 *
 * The endpoint is `http://<host>:<port>/metrics`. It is separate from the
 * backend's own port, so it can stay inside the cluster network.
 */
const { isMainThread } = require('node:worker_threads');

// worker threads load this file too; one exporter per process
if (isMainThread && process.env.AIC_METRICS_DISABLED !== 'true') {
  const { metrics } = require('@opentelemetry/api');
  const { MeterProvider } = require('@opentelemetry/sdk-metrics');
  const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');
  const { resourceFromAttributes } = require('@opentelemetry/resources');

  const rawPort = process.env.OTEL_EXPORTER_PROMETHEUS_PORT || '9464';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(
      `OTEL_EXPORTER_PROMETHEUS_PORT must be a port number, not '${rawPort}'`,
    );
  }
  const host = process.env.OTEL_EXPORTER_PROMETHEUS_HOST || '0.0.0.0';
  const exporter = new PrometheusExporter({ port, host }, error => {
    if (error) {
      // eslint-disable-next-line no-console
      console.error(`Prometheus exporter did not start: ${error}`);
    }
  });
  const provider = new MeterProvider({
    readers: [exporter],
    resource: resourceFromAttributes({
      'service.name': process.env.OTEL_SERVICE_NAME || 'backstage',
    }),
  });
  metrics.setGlobalMeterProvider(provider);
  process.once('beforeExit', () => provider.shutdown());
}
