import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import {
  IMMUTABLE_CACHE,
  STATIC_CACHE,
  createPrecompressedStaticMiddleware,
} from './PrecompressedStaticMiddleware';

const SOURCE = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;
const HASHED = 'main.0123abcd.js';

/** Reads a response body as raw bytes, without decoding it. */
function raw(res: any, callback: (error: Error | null, body: Buffer) => void) {
  const parts: Buffer[] = [];
  res.on('data', (part: Buffer) => parts.push(part));
  res.on('end', () => callback(null, Buffer.concat(parts)));
}

describe('createPrecompressedStaticMiddleware', () => {
  let root: string;
  let dir: string;
  let app: express.Express;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'precompressed-'));
    dir = join(root, 'static');
    mkdirSync(dir);
    writeFileSync(join(dir, HASHED), SOURCE);
    writeFileSync(join(dir, `${HASHED}.gz`), gzipSync(SOURCE));
    writeFileSync(join(dir, `${HASHED}.br`), brotliCompressSync(SOURCE));
    writeFileSync(join(dir, 'plain.css'), 'body { color: red; }');
    writeFileSync(join(dir, 'plain.css.gz'), gzipSync('body { color: red; }'));
    app = express();
    app.use(createPrecompressedStaticMiddleware({ staticDir: dir }));
    // what follows in the app backend: its own static serving
    app.use('/static', express.static(dir));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('sends the brotli copy when the browser accepts br', async () => {
    const res = await request(app)
      .get(`/static/${HASHED}`)
      .set('Accept-Encoding', 'gzip, deflate, br')
      .buffer(true)
      .parse(raw);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toBe(
      'application/javascript; charset=utf-8',
    );
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['cache-control']).toBe(IMMUTABLE_CACHE);
    // the bytes sent are the copy's (supertest decodes them)
    expect(res.headers['content-length']).toBe(
      String(brotliCompressSync(SOURCE).length),
    );
    expect(res.body.toString()).toBe(SOURCE);
  });

  it('sends the gzip copy when br is not accepted or has no copy', async () => {
    const js = await request(app)
      .get(`/static/${HASHED}`)
      .set('Accept-Encoding', 'gzip');
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(js.text).toBe(SOURCE); // supertest decodes gzip
    const css = await request(app)
      .get('/static/plain.css')
      .set('Accept-Encoding', 'br, gzip');
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe(STATIC_CACHE);
    expect(css.text).toBe('body { color: red; }');
  });

  it('follows the q-values of Accept-Encoding', async () => {
    const res = await request(app)
      .get(`/static/${HASHED}`)
      .set('Accept-Encoding', 'br;q=0, gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
  });

  it('leaves requests without an accepted encoding to the next handler', async () => {
    const res = await request(app)
      .get(`/static/${HASHED}`)
      .set('Accept-Encoding', 'identity');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.text).toBe(SOURCE);
  });

  it('ignores a copy older than its file', async () => {
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, `${HASHED}.br`), past, past);
    utimesSync(join(dir, `${HASHED}.gz`), past, past);
    const res = await request(app)
      .get(`/static/${HASHED}`)
      .set('Accept-Encoding', 'br, gzip')
      .buffer(true)
      .parse(raw);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toBe(SOURCE);
  });

  /**
   * Gives the file a time to the microsecond, as the file system keeps it,
   * and its brotli copy that time cut to the millisecond (as the build's
   * utimes writes it) less `msOlder`; then asks for the file in br.
   * (vendor.js of one build: file 235.747261289 s, copy 235.746999 s.)
   */
  async function withCopyOlderBy(msOlder: number) {
    const fileSeconds = 1796177235.747261;
    utimesSync(join(dir, HASHED), fileSeconds, fileSeconds);
    const copyTime = new Date(Math.floor(fileSeconds * 1000) - msOlder);
    utimesSync(join(dir, `${HASHED}.br`), copyTime, copyTime);
    return request(app)
      .get(`/static/${HASHED}`)
      .set('Accept-Encoding', 'br')
      .buffer(true)
      .parse(raw);
  }

  it("serves copies that carry their file's time to the millisecond, as the build writes them", async () => {
    const res = await withCopyOlderBy(0);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe(IMMUTABLE_CACHE);
    expect(res.body.toString()).toBe(SOURCE);
  });

  it('ignores a copy older than its file by two milliseconds', async () => {
    const res = await withCopyOlderBy(2);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toBe(SOURCE);
  });

  it('answers HEAD with the headers of the copy and no body', async () => {
    const res = await request(app)
      .head(`/static/${HASHED}`)
      .set('Accept-Encoding', 'br');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-length']).toBe(
      String(brotliCompressSync(SOURCE).length),
    );
  });

  it('serves nothing outside the static folder or for missing files', async () => {
    writeFileSync(join(root, 'secret.js'), 'secret');
    writeFileSync(join(root, 'secret.js.gz'), gzipSync('secret'));
    const outside = await request(app)
      .get('/static/..%2Fsecret.js')
      .set('Accept-Encoding', 'gzip');
    expect(outside.status).toBe(404);
    const missing = await request(app)
      .get('/static/missing.0123abcd.js')
      .set('Accept-Encoding', 'gzip');
    expect(missing.status).toBe(404);
    const post = await request(app)
      .post(`/static/${HASHED}`)
      .set('Accept-Encoding', 'gzip');
    expect(post.headers['content-encoding']).toBeUndefined();
  });
});
