import pg from 'pg';

/** Runs one query on its own connection (tests that look into a database other processes use). */
export async function queryDatabase(url: string, sql: string, params: unknown[] = []): Promise<any[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}
