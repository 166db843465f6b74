import type { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryResult, type TransactionSettings } from 'kysely';

/**
 * One open ambient transaction: a connection of the inner driver inside BEGIN, lent to one
 * acquirer at a time. Once finished, acquirers in its async context get ordinary connections.
 */
export interface AmbientStore {
  connection: DatabaseConnection;
  finished: boolean;
  /** Set when a savepoint could not be rolled back: the transaction must not commit. */
  poisoned?: unknown;
  holder: boolean;
  waiters: Array<(lent: boolean) => void>;
  savepoints: number;
}

/** Where the open ambient transaction of the current async context is kept (one per Database). */
export type AmbientStorage = AsyncLocalStorage<AmbientStore>;

/**
 * A connection lent from an ambient transaction for one acquisition. The acquisition is a
 * savepoint, so it keeps the meaning it has outside: a failing statement undoes only itself
 * (autocommit), and a kysely transaction on it commits or rolls back only its own work.
 */
class LentConnection implements DatabaseConnection {
  failed = false;
  rolledBack = false;
  constructor(
    readonly store: AmbientStore,
    readonly savepoint: string,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.store.connection.executeQuery<R>(query);
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.store.connection.streamQuery<R>(query, chunkSize);
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }
}

const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`;
const raw = (connection: DatabaseConnection, text: string) => connection.executeQuery(CompiledQuery.raw(text));

/**
 * Wraps a dialect's driver so that work run through `run()` shares one transaction: every
 * connection acquired in that async context (plain queries, `db.transaction()`, nested helpers)
 * is the ambient one, turned into a savepoint, and the whole commits or rolls back at the end.
 */
export class AmbientTransactionDriver implements Driver {
  private initialized?: Promise<void>;

  constructor(
    private readonly inner: Driver,
    private readonly storage: AmbientStorage,
  ) {}

  init(): Promise<void> {
    return (this.initialized ??= this.inner.init());
  }

  /** Runs work in one transaction: committed when it resolves, rolled back when it throws. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.storage.getStore()?.finished === false) throw new Error('an ambient transaction is already open in this context');
    await this.init();
    const connection = await this.inner.acquireConnection();
    const store: AmbientStore = { connection, finished: false, holder: false, waiters: [], savepoints: 0 };
    let began = false;
    try {
      await this.inner.beginTransaction(connection, {});
      began = true;
      const result = await this.storage.run(store, work);
      await this.finish(store);
      if (store.poisoned !== undefined) throw store.poisoned;
      await this.inner.commitTransaction(connection);
      return result;
    } catch (error) {
      await this.finish(store);
      // A rollback that fails (the server went away) leaves the original error to report; the
      // inner driver discards a broken connection on release.
      if (began) await this.inner.rollbackTransaction(connection).catch(() => undefined);
      throw error;
    } finally {
      await this.inner.releaseConnection(connection);
    }
  }

  /** Waits for the borrowers queued so far (their work joins this transaction), then sends later ones (e.g. timers) to ordinary connections. */
  private async finish(store: AmbientStore): Promise<void> {
    if (store.finished) return;
    if (store.holder) await new Promise<boolean>((resolve) => store.waiters.push(resolve));
    store.finished = true;
    for (const waiter of store.waiters.splice(0)) waiter(false);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const store = this.storage.getStore();
    if (!store || store.finished) return this.inner.acquireConnection();
    if (store.holder && !(await new Promise<boolean>((resolve) => store.waiters.push(resolve)))) return this.inner.acquireConnection();
    store.holder = true;
    const lent = new LentConnection(store, `pharos_ambient_${++store.savepoints}`);
    try {
      await raw(store.connection, `SAVEPOINT ${lent.savepoint}`);
    } catch (error) {
      this.handOn(store);
      throw error;
    }
    return lent;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof LentConnection)) return this.inner.releaseConnection(connection);
    const { store, savepoint } = connection;
    try {
      if (connection.failed && !connection.rolledBack) await raw(store.connection, `ROLLBACK TO SAVEPOINT ${savepoint}`);
      await raw(store.connection, `RELEASE SAVEPOINT ${savepoint}`);
    } catch (error) {
      store.poisoned ??= error;
    } finally {
      this.handOn(store);
    }
  }

  private handOn(store: AmbientStore): void {
    const next = store.waiters.shift();
    if (next) next(true);
    else store.holder = false;
  }

  // A kysely transaction on a lent connection is its acquisition's savepoint: BEGIN and COMMIT
  // have nothing left to do, ROLLBACK returns to the savepoint.
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (!(connection instanceof LentConnection)) return this.inner.beginTransaction(connection, settings);
    if (settings.isolationLevel || settings.accessMode) throw new Error('a transaction inside an ambient transaction cannot set its isolation level or access mode');
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof LentConnection)) return this.inner.commitTransaction(connection);
    if (connection.failed) throw new Error('cannot commit: a statement of this transaction failed');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof LentConnection)) return this.inner.rollbackTransaction(connection);
    await raw(connection.store.connection, `ROLLBACK TO SAVEPOINT ${connection.savepoint}`);
    connection.rolledBack = true;
    connection.failed = false;
  }

  // Savepoints a caller names itself (kysely's controlled transactions); plain SQL on both backends.
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await raw(connection, `SAVEPOINT ${quoteName(name)}`);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await raw(connection, `ROLLBACK TO SAVEPOINT ${quoteName(name)}`);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await raw(connection, `RELEASE SAVEPOINT ${quoteName(name)}`);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** A dialect whose driver is wrapped in an AmbientTransactionDriver; `driver` is set once kysely creates it. */
export class AmbientTransactionDialect implements Dialect {
  driver?: AmbientTransactionDriver;

  constructor(
    private readonly inner: Dialect,
    private readonly storage: AmbientStorage,
  ) {}

  createDriver(): Driver {
    return (this.driver = new AmbientTransactionDriver(this.inner.createDriver(), this.storage));
  }

  createQueryCompiler() {
    return this.inner.createQueryCompiler();
  }

  createAdapter() {
    return this.inner.createAdapter();
  }

  createIntrospector(db: Parameters<Dialect['createIntrospector']>[0]) {
    return this.inner.createIntrospector(db);
  }
}
