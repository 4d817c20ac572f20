import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PayiConfigError } from 'payi-instrument';
import { migrate } from './migrations';

/**
 * Opens (creating the file and its folder when missing) the collector's SQLite database in WAL
 * mode and brings its schema up to date. `':memory:'` gives a throw-away database.
 *
 * @example
 * ```ts
 * const db = openDatabase('./.payi/payi.db');
 * db.prepare('SELECT count(*) AS n FROM events').get();
 * ```
 */
export function openDatabase(dbPath: string): Database.Database {
  if (dbPath !== ':memory:') {
    try {
      fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
    } catch (err) {
      throw new PayiConfigError(`dbPath "${dbPath}": cannot create its folder (${(err as Error).message})`, 'dbPath', dbPath);
    }
  }
  let db: Database.Database;
  try {
    db = new Database(dbPath);
  } catch (err) {
    throw new PayiConfigError(`dbPath "${dbPath}": cannot open it as an SQLite database (${(err as Error).message})`, 'dbPath', dbPath);
  }
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: durable across application crashes, one fsync per checkpoint instead of per commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536'); // 64 MiB of page cache
  db.pragma('temp_store = MEMORY');
  migrate(db);
  return db;
}
