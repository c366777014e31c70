import type { SecretFinding } from './finding.js'
import type { SecretRule } from './rules.js'

/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`): one result per
 * finding with its preview only, and a partial fingerprint so code scanning tracks it across
 * pushes. The secret itself is not in it.
 */
export function toSarif(findings: SecretFinding[], rules: SecretRule[]): unknown {
  const used = rules.filter((rule) => findings.some((finding) => finding.ruleId === rule.id))
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'release-gates secrets',
            informationUri: 'https://github.com/release-gates/release-gates#secrets',
            rules: used.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/(^|-)(\w)/g, (_all, _dash: string, letter: string) =>
                letter.toUpperCase()
              ),
              shortDescription: { text: rule.description },
              fullDescription: {
                text: `${rule.description}: a hardcoded credential. Revoke it, then remove it.`
              },
              defaultConfiguration: { level: 'error' },
              properties: {
                tags: ['security', 'secret'],
                'security-severity': '9.0',
                precision: 'high'
              }
            }))
          }
        },
        results: findings.map((finding) => ({
          ruleId: finding.ruleId,
          ruleIndex: used.findIndex((rule) => rule.id === finding.ruleId),
          level: 'error',
          message: {
            text: `${finding.description}: ${finding.preview}${finding.commit ? ` (added in ${finding.commit})` : ''}`
          },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: finding.path, uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: finding.line,
                  startColumn: finding.column,
                  endColumn: Math.max(finding.endColumn, finding.column + 1)
                }
              }
            }
          ],
          partialFingerprints: { 'secretFingerprint/v1': finding.fingerprint }
        }))
      }
    ]
  }
}
