import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import express, { type Request, type Response } from 'express';

/** The encodings with a pre-compressed copy, in order of preference. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/**
 * A name with a content hash (`main.3f2a9c1b.js`, `1234.5e6f7a8b.chunk.js`):
 * its content never changes under that name.
 */
const HASHED_NAME = /\.[0-9a-f]{8,}\.(?:chunk\.)?[a-z0-9]+$/;

/** One year, and the browser need not revalidate: the name changes instead. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** What the app backend gives other static files (14 days). */
export const STATIC_CACHE = 'public, max-age=1209600';

/**
 * Whether a copy is older than its file by more than a millisecond. The
 * build gives each copy its file's time through `utimes`, which keeps less
 * than the file system does (a `Date` has whole milliseconds, and seconds
 * as a double lose some nanoseconds), so a copy written that way can look
 * older than its file by a fraction of a millisecond. A file rewritten after
 * the build is seconds newer than its copies.
 */
function isOlder(copyMs: number, fileMs: number): boolean {
  return copyMs < fileMs - 1;
}

/**
 * Serves the gzip (`.gz`) and brotli (`.br`) copies that the app's build
 * writes next to its static files (packages/app/scripts/build.js), so the
 * backend does not compress the same JavaScript again for every first visit.
 *
 * For `GET`/`HEAD /static/<file>` (`<file>` below `staticDir`) it picks the best encoding the
 * request accepts that has a copy, and sends that copy with
 * `Content-Encoding`, `Vary: Accept-Encoding`, the original's content type and,
 * for content-hashed names, a one-year immutable `Cache-Control`. A copy
 * older than its file is ignored (the app backend can rewrite a file at
 * start-up to inject configuration). Everything else goes to the next
 * handler: the app backend's own static serving, with on-the-fly compression.
 */
export function createPrecompressedStaticMiddleware(options: {
  staticDir: string;
}): express.Router {
  const { staticDir } = options;
  const router = express.Router();

  async function serve(req: Request, res: Response): Promise<boolean> {
    const accepted = ENCODINGS.filter(
      e => req.acceptsEncodings(e.name) === e.name,
    );
    if (accepted.length === 0) {
      return false;
    }
    let path: string;
    try {
      path = resolveSafeChildPath(
        staticDir,
        `.${decodeURIComponent(req.path)}`,
      );
    } catch {
      return false; // outside the folder or not decodable: not ours to serve
    }
    const original = await stat(path).catch(() => undefined);
    if (!original?.isFile()) {
      return false;
    }
    for (const encoding of accepted) {
      const copy = await stat(`${path}${encoding.suffix}`).catch(
        () => undefined,
      );
      if (!copy?.isFile() || isOlder(copy.mtimeMs, original.mtimeMs)) {
        continue;
      }
      const type = express.static.mime.lookup(path);
      const charset = express.static.mime.charsets.lookup(type, '');
      res.setHeader(
        'Content-Type',
        charset ? `${type}; charset=${charset.toLowerCase()}` : type,
      );
      res.setHeader('Content-Encoding', encoding.name);
      res.append('Vary', 'Accept-Encoding');
      res.setHeader(
        'Cache-Control',
        HASHED_NAME.test(path) ? IMMUTABLE_CACHE : STATIC_CACHE,
      );
      await new Promise<void>((resolve, reject) => {
        res.sendFile(
          `${path}${encoding.suffix}`,
          { acceptRanges: false, cacheControl: false, dotfiles: 'deny' },
          error => (error ? reject(error) : resolve()),
        );
      });
      return true;
    }
    return false;
  }

  router.use('/static', (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !extname(req.path)) {
      next();
      return;
    }
    serve(req, res).then(served => {
      if (!served) {
        next();
      }
    }, next);
  });
  return router;
}
