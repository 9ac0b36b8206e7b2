import { TtlCache } from './TtlCache';

describe('TtlCache', () => {
  it('keeps a value until its TTL passes', () => {
    let now = 0;
    const cache = new TtlCache<string>({ ttlMs: 100, now: () => now });
    cache.set('a', 'x');
    now = 99;
    expect(cache.get('a')).toBe('x');
    now = 100;
    expect(cache.get('a')).toBeUndefined();
  });

  it('shares one pending load and forgets a failed one', async () => {
    const cache = new TtlCache<Promise<number>>({ ttlMs: 1000 });
    let calls = 0;
    const ok = () => Promise.resolve(++calls);
    const [a, b] = await Promise.all([
      cache.load('k', ok),
      cache.load('k', ok),
    ]);
    expect([a, b, calls]).toEqual([1, 1, 1]);

    const failing = () => Promise.reject(new Error('down'));
    await expect(cache.load('f', failing)).rejects.toThrow('down');
    expect(cache.get('f')).toBeUndefined();
    expect(await cache.load('f', ok)).toBe(2);
  });

  it('drops expired entries first, then the oldest, when full', () => {
    let now = 0;
    const cache = new TtlCache<number>({
      ttlMs: 10,
      maxEntries: 2,
      now: () => now,
    });
    cache.set('old', 1);
    now = 5;
    cache.set('mid', 2);
    now = 12; // 'old' expired
    cache.set('new', 3);
    expect([cache.get('mid'), cache.get('new'), cache.size]).toEqual([2, 3, 2]);
    cache.set('newest', 4); // full, nothing expired: the oldest goes
    expect(cache.get('mid')).toBeUndefined();
    expect(cache.get('newest')).toBe(4);
  });
});
