// Extracts, from GitHub's published OpenAPI description (@octokit/openapi, dereferenced), the
// request and response schemas of the operations the action calls, into a small committed
// fixture the fake GitHub server validates against (the whole description is 13 MB).
// Usage: node scripts/extract-openapi.mjs
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const OPERATIONS = [
  'checks/create',
  'checks/update',
  'repos/get-content',
  // Sign-offs (issue 8): who approved, who commented, which labels, which teams, which PR.
  'pulls/get',
  'pulls/list-reviews',
  'issues/list-comments',
  'issues/list-for-repo',
  'teams/get-membership-for-user-in-org',
  'repos/get-collaborator-permission-level',
  'repos/list-pull-requests-associated-with-commit',
  'git/get-commit',
  // The pull-request comment (issue 18): one, found by its marker, updated in place.
  'issues/create-comment',
  'issues/update-comment',
  'issues/delete-comment',
  // extends: github:OWNER/REPO/PATH@REF resolves REF to a commit first.
  'repos/get-commit',
  // The github kind: repository settings, read-only.
  'repos/get',
  'repos/get-branch-protection',
  'repos/get-branch-rules',
  'repos/check-vulnerability-alerts',
  'repos/get-environment',
  // github `checks-green`: the check runs and statuses on the commit being released.
  'checks/list-for-ref',
  'repos/list-commit-statuses-for-ref'
]
const require = createRequire(import.meta.url)
const packageJson = require('@octokit/openapi/package.json')
const description = JSON.parse(
  readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.deref.json'), 'utf8')
)

const operations = {}
for (const [path, methods] of Object.entries(description.paths)) {
  for (const [method, operation] of Object.entries(methods)) {
    if (!OPERATIONS.includes(operation.operationId)) continue
    const responses = {}
    for (const [status, response] of Object.entries(operation.responses)) {
      const schema = response.content?.['application/json']?.schema
      if (schema) responses[status] = schema
    }
    operations[operation.operationId] = {
      method: method.toUpperCase(),
      path,
      parameters: (operation.parameters ?? []).map(({ name, in: where, required, schema }) => ({
        name,
        in: where,
        required: Boolean(required),
        schema
      })),
      requestBody: operation.requestBody?.content?.['application/json']?.schema ?? null,
      responses
    }
  }
}
const missing = OPERATIONS.filter((id) => !operations[id])
if (missing.length) throw new Error(`not in the description: ${missing.join(', ')}`)
const out = '__tests__/fixtures/github/openapi-operations.json'
writeFileSync(
  out,
  JSON.stringify(
    { source: `@octokit/openapi ${packageJson.version} (api.github.com.deref.json)`, operations },
    null,
    1
  ) + '\n'
)
console.log(`wrote ${out}: ${Object.keys(operations).join(', ')}`)
