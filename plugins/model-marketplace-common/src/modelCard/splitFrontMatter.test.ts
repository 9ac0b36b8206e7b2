import { splitFrontMatter } from './splitFrontMatter';

describe('splitFrontMatter', () => {
  it('splits YAML front matter from the markdown body', () => {
    expect(
      splitFrontMatter('---\nlicense: mit\ntags: [a]\n---\n# Title\n\nText\n'),
    ).toEqual({
      frontMatter: 'license: mit\ntags: [a]\n',
      body: '# Title\n\nText\n',
    });
  });

  it('accepts CRLF line ends, a byte order mark and the ... terminator', () => {
    expect(splitFrontMatter('\uFEFF---\r\nlicense: mit\r\n...\r\n# T')).toEqual(
      {
        frontMatter: 'license: mit\r\n',
        body: '# T',
      },
    );
  });

  it('keeps an empty front matter apart from the body', () => {
    expect(splitFrontMatter('---\n---\nbody')).toEqual({
      frontMatter: '',
      body: 'body',
    });
  });

  it('leaves text without front matter, or with an unclosed block, alone', () => {
    expect(splitFrontMatter('# Title\n---\nx')).toEqual({
      body: '# Title\n---\nx',
    });
    expect(splitFrontMatter('---\nlicense: mit\n# no end')).toEqual({
      body: '---\nlicense: mit\n# no end',
    });
  });
});
