/*
 * The database the browse benchmark's backends run on. By default the
 * backend's own (app-config.yaml: SQLite in memory, gone with the process).
 * With BENCH_DATABASE=pg, PostgreSQL as a deployment runs it: every plugin in
 * a schema of its own in one database, BENCH_PG_DATABASE (default
 * "aic_bench_browse") on the server BENCH_PG names (default
 * postgresql://postgres@127.0.0.1:5432), dropped and created afresh before
 * each backend starts, so that every ingestion starts from an empty catalog.
 */
import knexFactory from 'knex';

export type BenchDatabase = {
  /** What the run used, for the report. */
  describe: string;
  /** The `backend.database` lines of the backend's config file (none: the default). */
  configLines: string[];
  /** Empties the database before a backend starts on it. */
  fresh(): Promise<void>;
};

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The database BENCH_DATABASE and BENCH_PG select. */
export function benchDatabase(
  env: Record<string, string | undefined> = process.env,
): BenchDatabase {
  const kind = env.BENCH_DATABASE ?? 'sqlite';
  if (kind === 'sqlite') {
    return {
      describe: 'SQLite in memory (app-config.yaml)',
      configLines: [],
      fresh: async () => {},
    };
  }
  if (kind !== 'pg') {
    throw new Error(
      `BENCH_DATABASE must be "sqlite" or "pg", not ${JSON.stringify(kind)}`,
    );
  }
  const name = env.BENCH_PG_DATABASE ?? 'aic_bench_browse';
  if (!NAME.test(name)) {
    throw new Error(
      `BENCH_PG_DATABASE must be a plain lower-case PostgreSQL name, not ${JSON.stringify(
        name,
      )}`,
    );
  }
  const url = new URL(env.BENCH_PG ?? 'postgresql://postgres@127.0.0.1:5432');
  return {
    describe: `PostgreSQL ${url.hostname}:${
      url.port || 5432
    }, database ${name}, a schema per plugin`,
    configLines: [
      '  database:',
      '    client: pg',
      '    pluginDivisionMode: schema',
      '    connection:',
      `      host: ${url.hostname}`,
      `      port: ${url.port || 5432}`,
      `      user: ${decodeURIComponent(url.username) || 'postgres'}`,
      ...(url.password
        ? [`      password: ${decodeURIComponent(url.password)}`]
        : []),
      `      database: ${name}`,
    ],
    async fresh() {
      const admin = knexFactory({
        client: 'pg',
        connection: {
          host: url.hostname,
          port: Number(url.port || 5432),
          user: decodeURIComponent(url.username) || 'postgres',
          password: decodeURIComponent(url.password) || undefined,
          database: 'postgres',
        },
      });
      try {
        await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.raw(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.destroy();
      }
    },
  };
}
