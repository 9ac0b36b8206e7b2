import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { modelCardToEntity } from './modelCardToEntity';

const example = readFileSync(
  resolve(
    __dirname,
    '../../../../examples/hf-model-cards/support-summarizer-8b/README.md',
  ),
  'utf8',
);
const options = { fileName: 'README.md', fallbackName: 'folder-name' };

function card(frontMatter: string, body = '# Title\n\nSummary.\n') {
  return `---\n${frontMatter}\n---\n${body}`;
}
const minimal = `aic:
  owner: team-a
  lifecycle: production
  versions: [{version: '1', artifact: 'hf://acme/m'}]`;

describe('modelCardToEntity', () => {
  it('maps the example card', () => {
    const entity = modelCardToEntity(example, options);
    expect(entity.metadata.name).toBe('support-summarizer-8b');
    expect(entity.metadata.annotations).toEqual({
      'aic.dev/model-card': './README.md',
    });
    expect(entity.spec?.evaluation).toEqual({
      metrics: [
        { name: 'support-tickets-corpus/rougel', direction: 'higher' },
        { name: 'call-center-transcripts/rougel', direction: 'higher' },
      ],
    });
  });

  it('names a card without aic.name or model-index after its folder, title and summary from the body', () => {
    const entity = modelCardToEntity(
      card(
        minimal,
        '# My *Model*\n\n![badge](x.svg)\n\nIt [reads](https://x) `tickets`.\n',
      ),
      options,
    );
    expect(entity.metadata).toMatchObject({
      name: 'folder-name',
      title: 'My *Model*',
      description: 'It reads tickets.',
    });
    expect(entity.spec).toMatchObject({ type: 'other', owner: 'team-a' });
  });

  it('uses license_name for license "other" and resolves a relative license_link against a URL', () => {
    const entity = modelCardToEntity(
      card(
        `license: other\nlicense_name: acme-research\nlicense_link: LICENSE\n${minimal}`,
      ),
      {
        ...options,
        baseUrl: 'https://git.acme.internal/ml/m/blob/main/README.md',
      },
    );
    expect(entity.spec).toMatchObject({
      license: 'acme-research',
      licenseUrl: 'https://git.acme.internal/ml/m/blob/main/LICENSE',
    });
    // From a file there is nothing to resolve it against: no licenseUrl.
    expect(
      modelCardToEntity(card(`license_link: LICENSE\n${minimal}`), options).spec
        ?.licenseUrl,
    ).toBeUndefined();
  });

  it('lets explicit aic refs win over derived Hugging Face ids', () => {
    const entity = modelCardToEntity(
      card(
        `base_model: [org/a-1.0, org/b]\ndatasets: org/ds\n${minimal}\n  baseModel: model:ml/base\n`,
      ),
      options,
    );
    expect(entity.spec).toMatchObject({
      baseModel: 'model:ml/base',
      datasets: ['ds'],
    });
  });

  it('numbers repeated metrics, names dataset-less ones by type and keeps the version’s own values', () => {
    const entity = modelCardToEntity(
      card(`model-index:
  - name: m
    results:
      - dataset: {type: squad}
        metrics: [{type: f1, value: 0.8}, {type: f1, value: 0.9}]
      - metrics: [{type: bleu, value: 31}]
aic:
  owner: team-a
  lifecycle: production
  versions: [{version: '1', artifact: 'hf://acme/m', metrics: {bleu: 40}}]`),
      options,
    );
    expect((entity.spec?.versions as any)[0].metrics).toEqual({
      'squad/f1': 0.8,
      'squad/f1 #2': 0.9,
      bleu: 40,
    });
  });

  it('keeps license "other" without a license_name and drops a license_link that is no URL', () => {
    const entity = modelCardToEntity(
      card(`license: other\nlicense_link: "http://[bad"\n${minimal}`),
      { ...options, baseUrl: 'https://git.acme.internal/ml/m/README.md' },
    );
    expect(entity.spec?.license).toBe('other');
    expect(entity.spec?.licenseUrl).toBe('http://[bad');
    const relative = modelCardToEntity(
      card(`license_link: "//[bad"\n${minimal}`),
      { ...options, baseUrl: 'https://git.acme.internal/ml/m/README.md' },
    );
    expect(relative.spec?.licenseUrl).toBeUndefined();
  });

  it('reads string metric values, keeps types that make no tag and numbers repeats without a dataset', () => {
    const entity = modelCardToEntity(
      card(`model-index:
  - name: m
    results:
      - metrics: [{type: "%%", value: "71.5"}, {type: wer, value: 3}, {type: wer, value: 4}]
      - dataset: {name: d}
  - name: other
${minimal}`),
      options,
    );
    expect((entity.spec?.versions as any)[0].metrics).toEqual({
      '%%': 71.5,
      wer: 3,
      'wer #2': 4,
    });
  });

  it('joins model-index metrics to the version marked default, and leaves a version that is no mapping as it is', () => {
    const marked = modelCardToEntity(
      card(`model-index:
  - results: [{metrics: [{type: f1, value: 0.5}]}]
aic:
  owner: team-a
  lifecycle: production
  versions:
    - {version: '1', artifact: 'hf://acme/m'}
    - {version: '2', artifact: 'hf://acme/m2', default: true}`),
      options,
    );
    expect((marked.spec?.versions as any)[0].metrics).toBeUndefined();
    expect((marked.spec?.versions as any)[1].metrics).toEqual({ f1: 0.5 });
    // A version that is no mapping gets no metrics; the validator names it.
    expect(() =>
      modelCardToEntity(
        card(`model-index:
  - results: [{metrics: [{type: f1, value: 0.5}]}]
aic:
  owner: team-a
  lifecycle: production
  versions: [v1]`),
        options,
      ),
    ).toThrow(/spec\.versions\[0\].*\(front matter: aic\.versions\)/);
  });

  it('cuts a long first paragraph to 400 characters and omits title and description when the body has none', () => {
    const long = `${'word '.repeat(100)}end`;
    const entity = modelCardToEntity(card(minimal, `${long}\n`), options);
    expect(entity.metadata.title).toBeUndefined();
    expect(entity.metadata.description).toHaveLength(400);
    expect(entity.metadata.description).toMatch(/^word word .*\.\.\.$/);
    const bare = modelCardToEntity(card(minimal, '```\ncode\n```\n'), options);
    expect(bare.metadata).not.toHaveProperty('title');
    expect(bare.metadata).not.toHaveProperty('description');
  });

  it('takes the namespace from aic.namespace', () => {
    const entity = modelCardToEntity(
      card(`${minimal}\n  namespace: ml`),
      options,
    );
    expect(entity.metadata.namespace).toBe('ml');
    expect(
      modelCardToEntity(card(minimal), options).metadata,
    ).not.toHaveProperty('namespace');
  });

  it('asks for aic.name when neither the card nor the fallback gives a usable name', () => {
    expect(() =>
      modelCardToEntity(card(minimal), { ...options, fallbackName: '***' }),
    ).toThrow('aic.name is required: the card gives no usable name');
  });

  it.each([
    [
      card('aic:\n  owner: a\n  lifecycle: production\n  versions: v1'),
      'aic.versions must be a list',
    ],
    ['# no front matter', 'the card has no YAML front matter'],
    [card('license: [unclosed'), 'the front matter is not valid YAML'],
    [card('license: mit'), 'aic is required'],
    [card(''), 'aic is required'],
    [
      card(`${minimal}\n  parameters: lots`),
      'spec.parameters must match pattern "^[0-9]+(\\.[0-9]+)?[KMBT]?$" (front matter: aic.parameters)',
    ],
    [card('aic: owner'), 'aic must be a mapping, not a string'],
    [card(`${minimal}\n  ownr: x`), 'aic.ownr is not a known field'],
    [
      card(`tags: {a: 1}\n${minimal}`),
      'tags must be a list of strings, not a object',
    ],
    [
      card(`language: [en, 7]\n${minimal}`),
      'language[1] must be a string, not a number',
    ],
    [
      card('aic:\n  owner: a\n  lifecycle: production'),
      'aic.versions is required',
    ],
    [
      card(
        `aic:\n  lifecycle: production\n  versions: [{version: '1', artifact: 'hf://a/b'}]`,
      ),
      'spec.owner is required (front matter: aic.owner)',
    ],
    [
      card(
        `aic:\n  owner: a\n  lifecycle: production\n  versions:\n    - {version: '1', artifact: 'hf://a/b', default: true}\n    - {version: '2', artifact: 'hf://a/c', default: true}`,
      ),
      'spec.versions[1].default: at most one version may be the default',
    ],
    [
      card(`${minimal}\n  name: Not Valid`),
      'aic.name "Not Valid" is not a valid entity name',
    ],
    [
      card(
        `model-index:\n  - name: m\n    results:\n      - dataset: {name: d}\n        metrics: [{type: accuracy, value: high}]\n${minimal}`,
      ),
      'model-index[0].results[0].metrics[0].value must be a number, not "high"',
    ],
    [
      card(
        `model-index:\n  - results:\n      - metrics: [{type: f1, value: " "}]\n${minimal}`,
      ),
      'model-index[0].results[0].metrics[0].value must be a number, not " "',
    ],
    [
      card(
        `model-index:\n  - results:\n      - metrics: [{value: 1}]\n${minimal}`,
      ),
      'model-index[0].results[0].metrics[0].type is required',
    ],
    [
      card(`${minimal}\n  access: {policy: secret}`),
      'spec.access.policy must be equal to one of the allowed values: open, approval, restricted (front matter: aic.access)',
    ],
  ])('refuses %j naming the field', (text, message) => {
    expect(() => modelCardToEntity(text, options)).toThrow(message);
  });
});
