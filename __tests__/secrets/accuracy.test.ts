import { existsSync, readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { loadSecretRules } from '../../src/secrets/rules.js'
import { scanContent } from '../../src/secrets/content.js'

// The labelled corpus (gitleaks' and secretlint's own rule tests) lives beside the repository,
// or where SECRET_CORPUS_DIR says; without it this test is skipped, saying so.
const CORPUS = process.env.SECRET_CORPUS_DIR
  ? pathToFileURL(`${process.env.SECRET_CORPUS_DIR.replace(/\/$/, '')}/`)
  : new URL('../../../shared/secret-corpus/', import.meta.url)
const present = existsSync(new URL('manifest.tsv', CORPUS))

interface Sample {
  file: string
  slice: string
  label: string
  rule: string
}

function flaggedShare(samples: Sample[], flagged: Set<string>): number {
  return samples.filter((sample) => flagged.has(sample.file)).length / samples.length
}

if (!present)
  process.stdout.write(`secret corpus not found at ${CORPUS.pathname}: accuracy not measured\n`)
;(present ? describe : describe.skip)('accuracy on the labelled secret corpus', () => {
  it('prints the share of true and false positives flagged in each slice', () => {
    const rules = loadSecretRules()
    const samples = readFileSync(new URL('manifest.tsv', CORPUS), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => {
        const [file, slice, label, rule] = line.split('\t')
        return { file: file!, slice: slice!, label: label!, rule: rule! }
      })
    const flagged = new Set(
      samples
        .filter(
          (sample) =>
            scanContent(readFileSync(new URL(sample.file, CORPUS)), sample.file, rules, {
              maxFileSize: 1024 * 1024,
              skipMinified: true
            }).matches.length
        )
        .map((sample) => sample.file)
    )
    const of = (slice: string, label: string) =>
      samples.filter((sample) => sample.slice === slice && sample.label === label)
    const figures = {
      gitleaksTp: flaggedShare(of('gitleaks', 'tp'), flagged),
      gitleaksFp: flaggedShare(of('gitleaks', 'fp'), flagged),
      secretlintTp: flaggedShare(of('secretlint', 'tp'), flagged),
      secretlintFp: flaggedShare(of('secretlint', 'fp'), flagged)
    }
    const percent = (value: number) => `${(value * 100).toFixed(1)} %`
    process.stdout.write(
      `secret corpus: gitleaks tp ${percent(figures.gitleaksTp)}, fp ${percent(figures.gitleaksFp)}; secretlint tp ${percent(figures.secretlintTp)}, fp ${percent(figures.secretlintFp)}\n`
    )
    if (process.env.SECRET_CORPUS_MISSES)
      for (const sample of samples)
        if ((sample.label === 'tp') !== flagged.has(sample.file))
          process.stdout.write(`${sample.label} ${sample.file} ${sample.rule}\n`)
    // The gitleaks slice's target is met; the others' (≤5 %, ≥93 %, 0) are not yet, and are held
    // at today's levels against regressions: see README, "Accuracy".
    expect(figures.gitleaksTp).toBeGreaterThanOrEqual(0.98)
    expect(figures.secretlintTp).toBeGreaterThanOrEqual(0.9)
    expect(figures.gitleaksFp).toBeLessThanOrEqual(0.113)
    expect(figures.secretlintFp).toBeLessThanOrEqual(0.023)
  })
})
