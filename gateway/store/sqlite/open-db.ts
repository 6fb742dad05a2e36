import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../store-error';
import { DDL, MIGRATE_2_TO_3, SCHEMA_VERSION } from './schema-sql';

export interface OpenedStoreDb {
  db: Database.Database;
  /** Highest id ever issued (max id, or the high-water mark kept across purges). */
  lastId: number;
  /** Messages not yet in a final state. */
  unfinished: number;
}

/**
 * Opens (or creates) the message database in WAL mode and checks its schema version: a store of schema 2 is
 * migrated in one transaction, one of any other version is refused rather than misread.
 */
export function openStoreDb(path: string): OpenedStoreDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    // Durability comes from the store's own fdatasync of the WAL (see SqliteStoreOptions.synchronous).
    db.pragma('synchronous = NORMAL');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536');
  } catch (err) {
    throw new StoreError(`cannot open store at ${path}`, { cause: err });
  }
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  let version = hasMeta ? db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() : undefined;
  if (version === '2') {
    try {
      db.transaction(() => db.exec(MIGRATE_2_TO_3))();
      version = String(SCHEMA_VERSION);
    } catch (err) {
      db.close();
      throw new StoreError(`cannot migrate the store at ${path} from schema 2 to ${SCHEMA_VERSION}`, { cause: err });
    }
  }
  if (hasMeta && version !== String(SCHEMA_VERSION)) {
    db.close();
    throw new StoreError(`store at ${path} has schema version ${String(version)}, this build needs ${SCHEMA_VERSION}`);
  }
  try {
    db.exec(DDL);
    db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
  } catch (err) {
    db.close();
    throw new StoreError(`cannot open store at ${path}`, { cause: err });
  }
  const maxId = (db.prepare('SELECT max(id) FROM messages').pluck().get() as number | null) ?? 0;
  const hwm = Number(db.prepare("SELECT value FROM meta WHERE key = 'id_high_water'").pluck().get() ?? 0);
  const unfinished = db.prepare('SELECT count(*) FROM messages WHERE open = 1').pluck().get() as number;
  return { db, lastId: Math.max(maxId, hwm), unfinished };
}
