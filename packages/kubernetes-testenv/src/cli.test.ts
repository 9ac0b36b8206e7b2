import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TESTENV_VERSIONS, findTestEnvBinaries } from './binaries';
import { main, parseCliArgs } from './cli';
import { TEST_TEAMS } from './testing/sharedTestEnv';

describe('kube-testenv command line', () => {
  it('parses teams, namespaces, nodes, ports and files', () => {
    const args = parseCliArgs([
      '--team',
      'search=team-search, team-search-staging',
      '--team=vision=team-vision',
      '--namespaces',
      'a,b',
      '--gpu-nodes',
      '3',
      '--cpu-nodes=0',
      '--port',
      '17443',
      '--kubeconfig',
      'kc',
      '--info-file',
      'info.json',
    ]);
    expect(args).toEqual({
      options: {
        teams: {
          search: ['team-search', 'team-search-staging'],
          vision: ['team-vision'],
        },
        namespaces: ['a', 'b'],
        gpuNodes: 3,
        cpuNodes: 0,
        apiserverPort: 17443,
      },
      kubeconfig: path.resolve('kc'),
      infoFile: path.resolve('info.json'),
    });
  });

  it('adds the test teams with --for-tests', () => {
    expect(Object.keys(TEST_TEAMS).length).toBeGreaterThan(0);
    const args = parseCliArgs(['--for-tests', '--team', 'x=x-ns']);
    expect(args !== 'help' && args.options.teams).toEqual({
      ...TEST_TEAMS,
      x: ['x-ns'],
    });
  });

  it.each([
    [['--team', 'no-namespaces='], /--team must look like/],
    [['--team', 'Upper=ns'], /--team must look like/],
    [['--gpu-nodes', '-1'], /--gpu-nodes must be a whole number/],
    [['--port', '70000'], /--port must be a number/],
    [['--port'], /--port needs a value/],
    [['--bogus'], /unknown option --bogus/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('answers --help', () => {
    expect(parseCliArgs(['--help'])).toBe('help');
  });
});

describe('binaries', () => {
  it('uses the versions the build script builds', () => {
    const script = fs.readFileSync(
      path.resolve(__dirname, '../scripts/build-binaries.sh'),
      'utf8',
    );
    const defaults = (name: string) =>
      new RegExp(`${name}:-(v[0-9.]+)\\}`).exec(script)?.[1];
    expect({
      kubernetes: defaults('AIC_KUBERNETES_VERSION'),
      etcd: defaults('AIC_ETCD_VERSION'),
      kwok: defaults('AIC_KWOK_VERSION'),
      kserve: defaults('AIC_KSERVE_VERSION'),
    }).toEqual(TESTENV_VERSIONS);
  });

  it('names every missing file and the build command', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'testenv-cache-'));
    try {
      expect(() => findTestEnvBinaries(empty)).toThrow(
        /not built: missing .*kube-apiserver.*Build it with bash packages\/kubernetes-testenv\/scripts\/build-binaries.sh/,
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});

describe('kube-testenv main()', () => {
  let stdout: string;
  let stderr: string;

  beforeEach(() => {
    stdout = '';
    stderr = '';
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      stdout += String(chunk);
      return true;
    });
    jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
      stderr += String(chunk);
      return true;
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('prints its usage for --help and starts nothing', async () => {
    await main(['--help']);
    expect(stdout).toMatch(/^Usage: kube-testenv/);
    expect(stdout).toContain('--team <name>=<ns,ns>');
    expect(stdout).toContain('--info-file <path>');
    expect(stdout).toContain('--for-tests');
    expect(stderr).toBe('');
    expect(process.exitCode).toBeUndefined();
  });

  it.each([
    [['--team', 'Search=team-search'], /^kube-testenv: --team must look like/],
    [['--gpu-nodes', 'many'], /^kube-testenv: --gpu-nodes/],
    [
      ['--cpu-nodes', '51'],
      /^kube-testenv: --cpu-nodes must be a whole number between 0 and 50\n/,
    ],
    [['--port', '0'], /^kube-testenv: --port/],
    [['--bogus'], /^kube-testenv: .*unknown option/],
  ])(
    'names the bad option of %j on stderr with the usage and exit code 2',
    async (argv, message) => {
      await main(argv);
      expect(stderr).toMatch(message);
      expect(stderr).toContain('\n\nUsage: kube-testenv');
      expect(stdout).toBe('');
      expect(process.exitCode).toBe(2);
    },
  );
});
