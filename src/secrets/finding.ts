/** One finding as every output shows it: never the secret, only its preview and fingerprint. */
export interface SecretFinding {
  ruleId: string
  description: string
  path: string
  line: number
  column: number
  endColumn: number
  commit?: string
  preview: string
  fingerprint: string
}
