// The one command: allmende start | worker | migrate | import | token | help
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { openApp, drainPipeline, type App } from './app.js';
import { migrate } from './store/migrate.js';
import { openDb } from './store/db.js';
import { buildServer } from './http/server.js';
import { importFile, type ImportFormat } from './pipeline/import-file.js';
import { createApiToken } from './auth/accounts.js';
import { needsOwner } from './auth/accounts.js';
import { progressBar } from './cli/progress.js';
import { retrainWorkspace, workspaceClassifier } from './moderation/learning.js';
import { readLabelledFile, loadStarterModels, evaluateRows } from './moderation/classifier/index.js';
import { ROLES, type Role } from './auth/roles.js';

const HELP = `Allmende — community management for every platform from one place

  allmende start                  run the web app, API and pipeline workers (default)
  allmende worker                 run pipeline workers only (needs DATABASE_URL: several may run)
  allmende migrate                apply database migrations and exit
  allmende import FILE [--workspace SLUG] [--format ndjson|json|csv] [--again]
                                  import an export of comments/messages; resumes where a broken run stopped
  allmende token --workspace SLUG --name NAME [--role ROLE]
                                  create an API token (shown once)
  allmende train [--workspace SLUG]
                                  retrain the moderation model from the team's decisions; the new
                                  model is used only if it beats the current one on held-back decisions
  allmende evaluate --data FILE [--workspace SLUG] [--language de|en]
                                  precision, recall, macro-F1 and confusion matrix of the model in use
                                  (the starter models without --workspace) on a labelled TSV/CSV/NDJSON

Environment: DATABASE_URL (a PostgreSQL server; without it the embedded database in ALLMENDE_DATA,
default ./data), HOST (127.0.0.1), PORT (3000), LOG_LEVEL, ALLMENDE_SECRET_KEY.`;

const log = (m: string) => process.stderr.write(m + '\n');

async function withApp<T>(workers: boolean, fn: (app: App) => Promise<T>): Promise<T> {
  const app = await openApp(loadConfig(), { workers, log });
  try { return await fn(app); } finally { await app.close(); }
}

async function workspaceId(app: App, slug: string | undefined): Promise<string> {
  const rows = await app.db.query<{ id: string; slug: string }>('select id, slug from workspaces order by created_at');
  if (slug) {
    const ws = rows.find((r) => r.slug === slug);
    if (!ws) throw new Error(`no workspace "${slug}"; there are: ${rows.map((r) => r.slug).join(', ') || 'none yet (run allmende start and create the owner)'}`);
    return ws.id;
  }
  if (rows.length === 1) return rows[0].id;
  throw new Error(rows.length ? `choose a workspace with --workspace: ${rows.map((r) => r.slug).join(', ')}` : 'no workspace yet: run `allmende start` and create the owner account first');
}

function onShutdown(fn: () => Promise<void>) {
  let closing = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (closing) process.exit(1);
      closing = true;
      log('stopping…');
      fn().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
    });
  }
}

async function main(argv: string[]) {
  const [command = 'start', ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest, allowPositionals: true,
    options: { data: { type: 'string' }, language: { type: 'string' }, workspace: { type: 'string' }, format: { type: 'string' }, again: { type: 'boolean' }, name: { type: 'string' }, role: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const config = loadConfig();
  switch (command) {
    case 'start': {
      const app = await openApp(config, { workers: true, log });
      const server = await buildServer(app);
      onShutdown(async () => { await server.close(); await app.close(); });
      const address = await server.listen({ host: config.host, port: config.port });
      const url = address.replace('127.0.0.1', 'localhost');
      log(`\nAllmende is running on ${app.db.kind === 'pglite' ? `the embedded database in ${config.dataDir}` : 'PostgreSQL'}: ${url}`);
      if (await needsOwner(app.db)) log(`First run: open ${url} to create the owner account.`);
      return;
    }
    case 'worker': {
      if (!config.databaseUrl) throw new Error('allmende worker needs DATABASE_URL: the embedded database belongs to one process, which runs its own workers');
      const app = await openApp(config, { workers: true, log });
      onShutdown(() => app.close());
      log('worker running; Ctrl-C stops it after the jobs at hand');
      return;
    }
    case 'migrate': {
      const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const applied = await migrate(db, log);
        log(applied.length ? `applied ${applied.length} migration(s)` : 'the database is up to date');
      } finally { await db.close(); }
      return;
    }
    case 'import': {
      const file = positionals[0];
      if (!file) throw new Error('usage: allmende import FILE [--workspace SLUG] [--format ndjson|json|csv]');
      if (values.format && !['ndjson', 'json', 'csv'].includes(values.format)) throw new Error('--format takes ndjson, json or csv');
      await withApp(true, async (app) => {
        const bar = progressBar('import');
        const s = await importFile(app.db, app.queue, file, {
          workspaceId: await workspaceId(app, values.workspace), format: values.format as ImportFormat | undefined, again: values.again,
          onProgress: (done, total) => bar.update(done, total),
        });
        bar.done();
        if (s.alreadyFinished) log(`${file} was imported completely before (use --again to read it again).`);
        else if (s.resumedAtRow) log(`resumed after row ${s.resumedAtRow}`);
        const pipe = progressBar('pipeline');
        let initial = 0;
        await drainPipeline(app.db, { onProgress: (left) => { initial ||= left; pipe.update(initial - left, initial || null, 'items analysed'); } });
        pipe.done();
        log(`rows ${s.rows}: ${s.created} new, ${s.updated} updated, ${s.duplicate} duplicate, ${s.rejectedCount} rejected`);
        for (const e of s.rejected.slice(0, 20)) log(`  row ${e.row}, ${e.field}: ${e.message}`);
        if (s.rejectedCount > 20) log(`  … and more (${s.rejectedCount} rows rejected in all)`);
        if (s.rejectedCount) process.exitCode = 3;
      });
      return;
    }
    case 'token': {
      const role = (values.role ?? 'manager') as Role;
      if (!ROLES.includes(role)) throw new Error(`--role takes one of ${ROLES.join(', ')}`);
      if (!values.name) throw new Error('--name is needed (what the token is for)');
      await withApp(false, async (app) => {
        const t = await createApiToken(app.db, { workspaceId: await workspaceId(app, values.workspace), name: values.name!, role, createdBy: null, creatorRole: 'owner' });
        process.stdout.write(t.token + '\n');
      });
      return;
    }
    case 'train': {
      await withApp(false, async (app) => {
        const { outcomes } = await retrainWorkspace(app.db, await workspaceId(app, values.workspace));
        for (const o of outcomes) {
          log(`${o.language}: ${o.decisions} decisions – ${o.adopted ? 'new model adopted' : 'current model kept'}: ${o.reason}`);
          if (o.report) log(o.report);
        }
      });
      return;
    }
    case 'evaluate': {
      if (!values.data) throw new Error('usage: allmende evaluate --data FILE [--workspace SLUG] [--language de|en]');
      const rows = readLabelledFile(values.data);
      const classifier = values.workspace
        ? await withApp(false, async (app) => workspaceClassifier(app.db, await workspaceId(app, values.workspace)))
        : await loadStarterModels();
      const r = evaluateRows(classifier, rows, { language: values.language ?? null, name: values.data });
      process.stdout.write(r.report + '\n');
      return;
    }
    case 'help': case '--help': case '-h':
      process.stdout.write(HELP + '\n');
      return;
    default:
      throw new Error(`unknown command "${command}"\n\n${HELP}`);
  }
}

main(process.argv.slice(2)).catch((e) => {
  log(`allmende: ${e.message}`);
  process.exit(1);
});
