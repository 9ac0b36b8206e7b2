import { parseCliArgs } from './cli';

describe('parseCliArgs', () => {
  it('parses ports, tokens, namespaces and the delay', () => {
    expect(
      parseCliArgs([
        '--port',
        '7443',
        '--kubeconfig',
        '/tmp/k',
        '--token',
        'a=team-a,team-b',
        '--token=root=*',
        '--namespaces',
        'x,y',
        '--rollout-delay-ms',
        '50',
      ]),
    ).toEqual({
      kubeconfig: '/tmp/k',
      options: {
        port: 7443,
        rolloutDelayMs: 50,
        tokens: { a: ['team-a', 'team-b'], root: '*' },
        namespaces: ['x', 'y', 'team-a', 'team-b'],
      },
    });
  });

  it('rejects bad input and answers --help', () => {
    expect(parseCliArgs(['--help'])).toBe('help');
    expect(() => parseCliArgs(['--port', 'x'])).toThrow(/--port/);
    expect(() => parseCliArgs(['--token', 'nonamespaces'])).toThrow(/--token/);
    expect(() => parseCliArgs(['--what'])).toThrow(/unknown option/);
  });
});
