import { InputError } from '@backstage/errors';

/**
 * The markdown of a `data:text/markdown` URL, as the importers write into
 * `aic.dev/model-card` for cards that have no file of their own (a Kubeflow
 * catalog model's readme). Base64 and percent-encoded payloads are read;
 * any other media type is refused.
 */
export function readMarkdownDataUrl(url: string, maxBytes: number): string {
  const match = /^data:([^,]*),(.*)$/s.exec(url);
  if (!match) {
    throw new InputError('The model card is not a valid data: URL');
  }
  const params = match[1].split(';').map(p => p.trim().toLowerCase());
  if (params[0] !== 'text/markdown') {
    throw new InputError(
      `The model card data: URL holds "${
        params[0] || 'text/plain'
      }", not text/markdown`,
    );
  }
  const payload = params.includes('base64')
    ? Buffer.from(match[2], 'base64')
    : Buffer.from(decodeURIComponent(match[2]), 'utf8');
  if (payload.length > maxBytes) {
    throw new InputError(
      `The model card is larger than ${Math.round(maxBytes / 1024)} KiB`,
    );
  }
  return payload.toString('utf8');
}
