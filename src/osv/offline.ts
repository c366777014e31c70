import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import yauzl from 'yauzl'
import { pypiName } from '../dependencies/names.js'
import type { OsvRecord } from './record.js'
import { isOsvRecord } from './record.js'

/** What an offline database holds for the packages asked about. */
export interface OfflineDatabase {
  /** Records naming a wanted package, by `ecosystem:name` (PyPI names normalised). */
  byPackage: Map<string, OsvRecord[]>
  /** How many records each ecosystem has in the whole database: none means no data. */
  ecosystems: Map<string, number>
  records: number
}

/** A database file or directory that cannot be read: the reason. */
export class OfflineUnreadable extends Error {}

export const packageKey = (ecosystem: string, name: string): string =>
  `${ecosystem}:${ecosystem === 'PyPI' ? pypiName(name) : name}`

/**
 * Reads OSV records from each source: a zip as osv.dev exports them (`<ecosystem>/all.zip`, one
 * JSON record per entry) or a directory of records (`*.json`, and zips, at any depth). Only the
 * records about `wanted` packages are kept, so a whole ecosystem's export stays small in memory.
 */
export async function loadOfflineDatabase(
  sources: string[],
  wanted: Set<string>
): Promise<OfflineDatabase> {
  const database: OfflineDatabase = { byPackage: new Map(), ecosystems: new Map(), records: 0 }
  const add = (text: string, where: string) => {
    let record: unknown
    try {
      record = JSON.parse(text)
    } catch {
      throw new OfflineUnreadable(`${where} is not JSON`)
    }
    if (!isOsvRecord(record)) throw new OfflineUnreadable(`${where} is not an OSV record (no id)`)
    database.records++
    const keys = new Set<string>()
    for (const affected of record.affected ?? []) {
      const ecosystem = affected.package?.ecosystem?.split(':')[0]
      const name = affected.package?.name
      if (!ecosystem || !name) continue
      database.ecosystems.set(ecosystem, (database.ecosystems.get(ecosystem) ?? 0) + 1)
      // Go: a package path names its module and every module above it.
      const names =
        ecosystem === 'Go'
          ? name.split('/').map((_part, index, parts) => parts.slice(0, index + 1).join('/'))
          : [name]
      for (const candidate of names) {
        const key = packageKey(ecosystem, candidate)
        if (wanted.has(key)) keys.add(key)
      }
    }
    for (const key of keys)
      database.byPackage.set(key, [...(database.byPackage.get(key) ?? []), record])
  }
  for (const source of sources) {
    const info = await stat(source).catch((error: NodeJS.ErrnoException) => {
      throw new OfflineUnreadable(
        `cannot read the database ${source}: ${error.code ?? error.message}`
      )
    })
    if (info.isDirectory()) await readDirectory(source, add)
    else if (source.endsWith('.zip')) await readZip(source, add)
    else add(await readFile(source, 'utf8'), source)
  }
  return database
}

async function readDirectory(
  dir: string,
  add: (text: string, where: string) => void
): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) await readDirectory(path, add)
    else if (entry.name.endsWith('.json')) add(await readFile(path, 'utf8'), path)
    else if (entry.name.endsWith('.zip')) await readZip(path, add)
  }
}

/** Each `.json` entry of a zip, read one at a time (an ecosystem's export is hundreds of MB). */
function readZip(path: string, add: (text: string, where: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (error, zip) => {
      if (error || !zip)
        return reject(
          new OfflineUnreadable(`${path} is not a zip: ${error?.message ?? 'unreadable'}`)
        )
      const fail = (cause: Error) => {
        zip.close()
        reject(
          cause instanceof OfflineUnreadable
            ? cause
            : new OfflineUnreadable(`${path}: ${cause.message}`)
        )
      }
      zip.on('error', fail)
      zip.on('end', () => resolve())
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('.json')) return zip.readEntry()
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(streamError ?? new Error('unreadable entry'))
          const chunks: Buffer[] = []
          stream.on('data', (chunk: Buffer) => chunks.push(chunk))
          stream.on('error', fail)
          stream.on('end', () => {
            try {
              add(Buffer.concat(chunks).toString('utf8'), `${path}:${entry.fileName}`)
              zip.readEntry()
            } catch (cause) {
              fail(cause as Error)
            }
          })
        })
      })
      zip.readEntry()
    })
  })
}
