import { parseFlags, parsePort, splitList } from './parseFlags';

describe('parseFlags', () => {
  it('reads values after the flag and after "=", in order', () => {
    const seen: string[] = [];
    const result = parseFlags(['--a', 'one', '--b=two=2', '--c', '--a=x'], {
      '--a': (value, flag) => seen.push(`${flag} ${value()}`),
      '--b': value => seen.push(`--b ${value()}`),
      '--c': () => seen.push('--c'),
    });
    expect(result).toBeUndefined();
    expect(seen).toEqual(['--a one', '--b two=2', '--c', '--a x']);
  });

  it('stops at --help or -h', () => {
    const handler = jest.fn();
    expect(parseFlags(['-h', '--a', '1'], { '--a': handler })).toBe('help');
    expect(parseFlags(['--help'], {})).toBe('help');
    expect(handler).not.toHaveBeenCalled();
  });

  it('names a flag without a value and an unknown option', () => {
    expect(() => parseFlags(['--a'], { '--a': v => v() })).toThrow(
      '--a needs a value',
    );
    expect(() => parseFlags(['--what=1'], {})).toThrow(
      'unknown option --what=1',
    );
    expect(() => parseFlags(['--toString'], {})).toThrow(
      'unknown option --toString',
    );
  });

  it('splits lists and checks ports, naming the flag', () => {
    expect(splitList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(parsePort('--port', '0', 0)).toBe(0);
    expect(() => parsePort('--port', '0', 1)).toThrow(
      '--port must be a number between 1 and 65535',
    );
    expect(() => parsePort('--port', '70000', 0)).toThrow(
      '--port must be a number between 0 and 65535',
    );
  });
});
