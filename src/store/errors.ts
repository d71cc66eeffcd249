export type ArchiveErrorCode =
  | 'not_sqlite' // the file exists but is not an SQLite database
  | 'corrupt' // SQLite header present, schema unreadable
  | 'not_archive' // a readable SQLite database that some other program owns
  | 'open_failed' // cannot create/open (permissions, missing folder on a read-only disk …)
  | 'migration_failed' // a migration's SQL failed; it was rolled back
  | 'migration_edited' // an applied migration's file changed since it was applied
  | 'schema_too_new' // the file was migrated by a newer nianbao
  | 'schema_outdated' // opened read-only, but migrations are pending
  | 'readonly' // a write through an archive opened read-only
  | 'unknown_snapshot' // saveParse for bytes the archive never stored
  | 'invalid_input' // a value does not match the contract (e.g. ParseResult)
  | 'constraint' // a foreign key or check constraint refused the write
  | 'closed';

/** Every failure of the archive, with the file it concerns and what to do about it. */
export class ArchiveError extends Error {
  readonly code: ArchiveErrorCode;
  readonly path: string;
  readonly suggestion?: string;

  constructor(code: ArchiveErrorCode, path: string, message: string, opts: { cause?: unknown; suggestion?: string } = {}) {
    super(`${path}: ${message}${opts.suggestion ? ` (${opts.suggestion})` : ''}`, { cause: opts.cause });
    this.name = 'ArchiveError';
    this.code = code;
    this.path = path;
    this.suggestion = opts.suggestion;
  }

  toJSON() {
    return { name: this.name, code: this.code, path: this.path, message: this.message };
  }
}
