/**
 * Splits a markdown document with YAML front matter (a Hugging Face model
 * card) into the front matter's YAML text and the markdown body. The front
 * matter is the text between a first line `---` and the next line `---` (or
 * `...`). Without front matter, `frontMatter` is undefined and `body` is the
 * whole text.
 *
 * @public
 */
export function splitFrontMatter(text: string): {
  frontMatter?: string;
  body: string;
} {
  const source = text.replace(/^\uFEFF/, '');
  const open = /^---[ \t]*\r?\n/.exec(source);
  if (!open) {
    return { body: text };
  }
  const rest = source.slice(open[0].length);
  const close = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m.exec(rest);
  if (!close) {
    return { body: text };
  }
  return {
    frontMatter: rest.slice(0, close.index),
    body: rest.slice(close.index + close[0].length),
  };
}
