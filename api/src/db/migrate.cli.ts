import { loadApiConfig } from '../config.ts';
import { migrateToLatest, openDatabase } from './database.ts';

// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database in
// PHAROS_DATA_DIR) without starting the server. The server does the same at start-up.
const config = loadApiConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
try {
  const applied = await migrateToLatest(database.db);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the database is up to date\n');
} catch (error) {
  process.stderr.write(`migration failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
