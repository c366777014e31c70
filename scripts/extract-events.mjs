// Copies real webhook payloads (GitHub's own examples, @octokit/webhooks-examples) into test
// fixtures: the action under test reads them from GITHUB_EVENT_PATH exactly as on a runner.
// Usage: node scripts/extract-events.mjs
import { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const examples = require('@octokit/webhooks-examples/api.github.com/index.json')
const wanted = {
  pull_request: (payload) => payload.action === 'synchronize',
  push: () => true,
  merge_group: () => true,
  workflow_run: (payload) => payload.action === 'completed',
  release: (payload) => payload.action === 'published',
  workflow_dispatch: () => true
}
const out = '__tests__/fixtures/github/events'
mkdirSync(out, { recursive: true })
for (const [event, pick] of Object.entries(wanted)) {
  const payload = examples.find((entry) => entry.name === event)?.examples.find(pick)
  if (!payload) throw new Error(`no ${event} example`)
  writeFileSync(`${out}/${event}.json`, JSON.stringify(payload, null, 2) + '\n')
}
console.log(`wrote ${Object.keys(wanted).length} payloads to ${out}`)
