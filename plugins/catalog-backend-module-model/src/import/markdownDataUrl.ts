/**
 * A `data:` URL holding markdown, for the `aic.dev/model-card` annotation of
 * imported models whose card has no file of its own (a Kubeflow catalog
 * model's `readme`). The marketplace backend serves it like a card file.
 */
export function markdownDataUrl(markdown: string): string {
  return `data:text/markdown;charset=utf-8;base64,${Buffer.from(
    markdown,
    'utf8',
  ).toString('base64')}`;
}
