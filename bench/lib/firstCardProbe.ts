/*
 * What the first-card benchmark measures inside the page. `PROBE_SCRIPT`
 * runs before any of the app's scripts (Playwright's `addInitScript`): it
 * marks, on the page's own clock (`performance.now()`, zero at the start of
 * the navigation), when the guest sign-in button appears and is clicked and
 * when the first model card is in the DOM and painted. `collectBreakdown`
 * then reads those marks together with the Navigation and Resource Timing
 * entries and returns one run's breakdown.
 */
import type { Page } from '@playwright/test';

/**
 * The in-page probe. With `autoSignIn` it clicks the guest "Enter" button
 * as soon as it is rendered, so no think time and no test-driver polling
 * delay is counted in the sign-in.
 */
export const PROBE_SCRIPT = `(() => {
  const marks = {};
  window.__firstCard = marks;
  performance.setResourceTimingBufferSize(5000);
  const mark = name => { if (!(name in marks)) marks[name] = performance.now(); };
  const enterButton = () =>
    Array.from(document.querySelectorAll('button')).find(
      b => b.textContent && b.textContent.trim() === 'Enter');
  const check = observer => {
    if (!('signInShown' in marks)) {
      const button = enterButton();
      if (button) {
        mark('signInShown');
        if (window.__firstCardAutoSignIn) {
          setTimeout(() => { mark('signInClicked'); button.click(); }, 0);
        }
      }
    }
    if (document.querySelector('[data-testid="model-card"]')) {
      mark('cardInDom');
      observer.disconnect();
      // The frame that paints the card: rAF runs just before it, a task
      // queued from rAF runs just after it.
      requestAnimationFrame(() => setTimeout(() => mark('cardPainted'), 0));
    }
  };
  const observer = new MutationObserver(() => check(observer));
  observer.observe(document, { childList: true, subtree: true });
})();`;

type ProbeWindow = Window & { __firstCard?: Record<string, number> };

export type RequestTiming = { start: number; end: number };

export type ChunkTiming = RequestTiming & {
  name: string;
  transfer: number;
  encoded: number;
  decoded: number;
};

/** One page load, in ms from the start of the navigation, and bytes. */
export type Breakdown = {
  /** The HTML document: response end. */
  documentEnd: number;
  domContentLoaded: number;
  /** JS requested before the first card was painted. */
  js: {
    count: number;
    /** Bytes on the wire (headers + compressed body); 0 when from the cache. */
    transfer: number;
    /** Compressed body bytes. */
    encoded: number;
    /** Decoded (uncompressed) bytes. */
    decoded: number;
    /** When the last of them had arrived. */
    lastEnd: number;
    chunks: ChunkTiming[];
  };
  signIn: {
    shown?: number;
    clicked?: number;
    /** Requests to /api/auth/ before the first card. */
    roundTrips: number;
    lastEnd?: number;
  };
  /** Other /api/ requests that started before the first /models request. */
  apiBeforeModels: Array<RequestTiming & { name: string }>;
  models?: RequestTiming;
  cardInDom?: number;
  cardPainted?: number;
};

/** Waits for the probe's "card painted" mark and reads the breakdown. */
export async function collectBreakdown(
  page: Page,
  timeoutMs = 60_000,
): Promise<Breakdown> {
  await page.waitForFunction(
    () => {
      const marks = (window as ProbeWindow).__firstCard;
      return marks?.cardPainted !== undefined;
    },
    undefined,
    { timeout: timeoutMs, polling: 100 },
  );
  return page.evaluate(() => {
    const marks = (window as ProbeWindow).__firstCard ?? {};
    const painted = marks.cardPainted;
    const [nav] = performance.getEntriesByType(
      'navigation',
    ) as PerformanceNavigationTiming[];
    const resources = (
      performance.getEntriesByType('resource') as PerformanceResourceTiming[]
    ).filter(r => r.startTime < painted);
    const pathOf = (r: PerformanceResourceTiming) => new URL(r.name).pathname;
    const scripts = resources.filter(r => pathOf(r).endsWith('.js'));
    const auth = resources.filter(r => pathOf(r).startsWith('/api/auth/'));
    const models = resources.find(
      r => pathOf(r) === '/api/model-marketplace/models',
    );
    const sum = (key: 'transferSize' | 'encodedBodySize' | 'decodedBodySize') =>
      scripts.reduce((total, r) => total + r[key], 0);
    return {
      documentEnd: nav.responseEnd,
      domContentLoaded: nav.domContentLoadedEventEnd,
      js: {
        count: scripts.length,
        transfer: sum('transferSize'),
        encoded: sum('encodedBodySize'),
        decoded: sum('decodedBodySize'),
        lastEnd: Math.max(0, ...scripts.map(r => r.responseEnd)),
        chunks: scripts.map(r => ({
          name: pathOf(r).split('/').pop() ?? r.name,
          start: r.startTime,
          end: r.responseEnd,
          transfer: r.transferSize,
          encoded: r.encodedBodySize,
          decoded: r.decodedBodySize,
        })),
      },
      signIn: {
        shown: marks.signInShown,
        clicked: marks.signInClicked,
        roundTrips: auth.length,
        lastEnd: auth.length
          ? Math.max(...auth.map(r => r.responseEnd))
          : undefined,
      },
      apiBeforeModels: resources
        .filter(
          r =>
            pathOf(r).startsWith('/api/') &&
            r !== models &&
            (!models || r.startTime < models.startTime),
        )
        .map(r => ({
          name: pathOf(r) + new URL(r.name).search,
          start: r.startTime,
          end: r.responseEnd,
        })),
      models: models
        ? { start: models.startTime, end: models.responseEnd }
        : undefined,
      cardInDom: marks.cardInDom,
      cardPainted: painted,
    };
  });
}
