import { accessSync, constants } from 'node:fs';
import type { Archive } from '../../store/archive.ts';

/**
 * Opens an archive for a reading command (stats, search, export): read-only, so a file the user may not
 * write works and nothing is touched. Only an archive an older nianbao wrote (pending migrations), and
 * that the user may write, is opened read-write once to migrate it.
 */
export async function openForReading(file: string): Promise<Archive> {
  const { Archive, ArchiveError } = await import('../../store/archive.ts');
  try {
    return Archive.open(file, { readonly: true });
  } catch (err) {
    if (!(err instanceof ArchiveError) || err.code !== 'schema_outdated' || !writable(file)) throw err;
    Archive.open(file).close();
    return Archive.open(file, { readonly: true });
  }
}

function writable(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
