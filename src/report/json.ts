import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Report } from '../model/report.js'

/** Writes the Report as JSON: the machine-readable record later steps and audits read. */
export async function writeJsonReport(report: Report, file: string): Promise<void> {
  await writeJsonFile(file, report)
}

export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, JSON.stringify(value, null, 2) + '\n')
}
