import type { JsonApiOptions } from '../util/json-api.js'
import { requestJson } from '../util/json-api.js'

/** What a registry says of one package's releases. */
export interface Releases {
  /** The version the registry calls latest. */
  latest: string
  /** Each release with its publication time, when the registry records one. */
  versions: Release[]
}

export interface Release {
  version: string
  published?: Date
  /** Deprecated (npm) or yanked (PyPI): not a release anyone should move to. */
  withdrawn?: boolean
  /** The Node.js versions it runs on (npm's engines.node), when it says. */
  node?: string
}

const date = (value: unknown) => {
  const parsed = typeof value === 'string' ? new Date(value) : undefined
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined
}

/**
 * A package's releases from an npm registry's packument (`GET /<name>`, the full document: the
 * abbreviated one has no times). `dist-tags.latest` is latest; deprecated versions count as
 * withdrawn.
 */
export async function npmReleases(
  registry: string,
  name: string,
  options: JsonApiOptions
): Promise<Releases> {
  // Scoped names keep their @ and escape the slash (@types%2Fnode), as npm asks.
  const url = `${registry.replace(/\/+$/, '')}/${name.replace('/', '%2F')}`
  const packument = (await requestJson(url, options)) as {
    'dist-tags'?: { latest?: string }
    time?: Record<string, string>
    versions?: Record<string, { deprecated?: string; engines?: { node?: unknown } }>
  }
  const latest = packument?.['dist-tags']?.latest
  if (typeof latest !== 'string')
    throw new Error(`${options.name} has no latest version of ${name} (no dist-tags.latest)`)
  return {
    latest,
    versions: Object.entries(packument.versions ?? {}).map(([version, manifest]) => ({
      version,
      ...(date(packument.time?.[version]) && { published: date(packument.time?.[version])! }),
      ...(manifest?.deprecated && { withdrawn: true }),
      ...(typeof manifest?.engines?.node === 'string' && { node: manifest.engines.node })
    }))
  }
}

/**
 * A project's releases from PyPI's JSON API (`GET /pypi/<name>/json`): `info.version` is the
 * latest release; a release is published when its first file was uploaded; a release whose
 * files are all yanked is withdrawn.
 */
export async function pypiReleases(
  index: string,
  name: string,
  options: JsonApiOptions
): Promise<Releases> {
  const url = `${index.replace(/\/+$/, '')}/pypi/${encodeURIComponent(name)}/json`
  const project = (await requestJson(url, options)) as {
    info?: { version?: string }
    releases?: Record<string, Array<{ upload_time_iso_8601?: string; yanked?: boolean }>>
  }
  const latest = project?.info?.version
  if (typeof latest !== 'string')
    throw new Error(`${options.name} has no latest version of ${name} (no info.version)`)
  return {
    latest,
    versions: Object.entries(project.releases ?? {}).map(([version, files]) => {
      const times = (files ?? []).flatMap((file) => date(file.upload_time_iso_8601) ?? [])
      return {
        version,
        ...(times.length && {
          published: new Date(Math.min(...times.map((time) => time.getTime())))
        }),
        ...(files?.length && files.every((file) => file.yanked) && { withdrawn: true })
      }
    })
  }
}
