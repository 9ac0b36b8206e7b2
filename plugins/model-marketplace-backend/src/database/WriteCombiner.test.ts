import { WriteCombiner } from './WriteCombiner';

/** A write the test lets finish when it wants. */
function gated() {
  const batches: string[][] = [];
  const gates: Array<() => void> = [];
  const writeAll = async (inputs: string[]) => {
    batches.push(inputs);
    await new Promise<void>(r => gates.push(r));
    if (inputs.includes('bad')) {
      throw new Error('the batch has a bad input');
    }
    return inputs.map(i => i.toUpperCase());
  };
  /** Opens the gates of the batches written so far. */
  const release = () => gates.splice(0).forEach(open => open());
  return { batches, writeAll, release };
}

/** Resolves once `condition` holds, checking after each macrotask. */
async function until(condition: () => boolean) {
  while (!condition()) {
    await new Promise(r => setImmediate(r));
  }
}

describe('WriteCombiner', () => {
  it('writes what arrives while a batch is in flight as one batch', async () => {
    const { batches, writeAll, release } = gated();
    const writeOne = jest.fn(async (i: string) => `one ${i}`);
    const combiner = new WriteCombiner({ writeAll, writeOne, maxInFlight: 1 });
    const first = combiner.write('a');
    const rest = ['b', 'c', 'd'].map(i => combiner.write(i));
    await until(() => batches.length === 1);
    expect(batches).toEqual([['a']]);
    release();
    expect(await first).toBe('A');
    await until(() => batches.length === 2);
    // the three that waited go together, in the order they arrived
    expect(batches[1]).toEqual(['b', 'c', 'd']);
    release();
    expect(await Promise.all(rest)).toEqual(['B', 'C', 'D']);
    expect(writeOne).not.toHaveBeenCalled();
  });

  it('retries a failed batch input by input, so only the bad one fails', async () => {
    const { batches, writeAll, release } = gated();
    const writeOne = async (i: string) => {
      if (i === 'bad') {
        throw new Error('bad input');
      }
      return `alone ${i}`;
    };
    const combiner = new WriteCombiner({ writeAll, writeOne, maxInFlight: 1 });
    const first = combiner.write('x');
    const results = Promise.allSettled(
      ['a', 'bad', 'b'].map(i => combiner.write(i)),
    );
    await until(() => batches.length === 1);
    release();
    await first;
    await until(() => batches.length === 2);
    release();
    const [a, bad, b] = await results;
    expect(a).toEqual({ status: 'fulfilled', value: 'alone a' });
    expect(b).toEqual({ status: 'fulfilled', value: 'alone b' });
    expect(bad).toMatchObject({
      status: 'rejected',
      reason: new Error('bad input'),
    });
  });

  it('rejects a batch of one with its own error, without writing it twice', async () => {
    const writeOne = jest.fn(async (i: string) => i);
    const combiner = new WriteCombiner({
      writeAll: async () => {
        throw new Error('refused');
      },
      writeOne,
    });
    await expect(combiner.write('only')).rejects.toThrow('refused');
    expect(writeOne).not.toHaveBeenCalled();
  });

  it('keeps inputs with the same key and the batch size apart', async () => {
    const { batches, writeAll, release } = gated();
    const combiner = new WriteCombiner({
      writeAll,
      writeOne: async (i: string) => i,
      keyOf: i => i.charAt(0),
      maxBatch: 3,
      maxInFlight: 1,
    });
    const all = Promise.all(
      ['x0', 'a1', 'a2', 'b1', 'c1', 'd1'].map(i => combiner.write(i)),
    );
    for (const n of [1, 2, 3]) {
      await until(() => batches.length === n);
      release();
    }
    expect(await all).toEqual(['X0', 'A1', 'A2', 'B1', 'C1', 'D1']);
    // a2 waits for the batch after a1's; no batch has more than three
    expect(batches).toEqual([['x0'], ['a1', 'b1', 'c1'], ['a2', 'd1']]);
  });
});
