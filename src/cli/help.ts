export const USAGE = `release-gates — prove a production-deployment checklist, gate by gate

Usage:
  release-gates run      [options]   evaluate the gates and exit by the result
  release-gates validate [options]   check the gates file (every environment); run nothing
  release-gates list     [options]   print the resolved plan for an environment and stage
  release-gates baseline [options] [--output FILE]
                                     run the gates and record their findings as accepted:
                                     gates with \`baseline:\` then fail only on new ones
  release-gates secrets baseline [--output FILE]
                                     record today's secret findings as accepted (fingerprints)
  release-gates init [CHECKLIST.md] [--out FILE] [--force]
                                     a checklist and what the repository shows, into a gates file
  release-gates import CHECKLIST.md [--out FILE] [--stage NAME]
                                     a markdown checklist to a gates file, one gate per item
  release-gates checklist [--env NAME] [--stage NAME] [--from REPORT.json] [--output FILE]
                                     the gates file back as a markdown checklist, ticked
  release-gates merge REPORT.json... the shards' reports (run --shard K/N --json) as one
                                     report: all N shards of one plan, else exit 1
  release-gates help [command]       this text
  release-gates --version           also -v, -V, version

Options:
  -c, --config FILE     gates file (default .github/release-gates.yml)
  -e, --env NAME        environment to resolve (default: defaults.environment)
  -s, --stage NAME      pre-release, post-deploy, recurring, a declared stage, or all
                        (default: defaults.stage, else pre-release)
      --only IDS        only these gate ids, comma-separated (run, list)
      --json FILE       write the JSON report (run) or the plan (list) to FILE;
                        '-' prints it on stdout (run then prints its table on stderr)
      --sarif FILE      run: write one SARIF 2.1.0 file of every located finding
      --cwd DIR         repository root (default: the current directory)
      --output FILE     baseline: where to write it (default .github/release-gates-baseline.json);
                        secrets baseline: (default .github/release-gates-secrets-baseline.json);
                        checklist: write the markdown there instead of stdout
      --out FILE        import: the gates file to write (default .github/release-gates.yml)
      --from FILE       checklist: tick items from this JSON report (run --json)
      --concurrency N   CPU-bound gates evaluated at once (run; default: the CPU count);
                        gates that wait (http, tls, sign-offs) do not count
      --shard K/N       run: evaluate only the K-th of N parts of the plan (gates joined
                        by needs or after stay together); merge the reports after
      --shard-durations FILE
                        run --shard: balance the parts by this earlier report's durations
      --no-progress     no live progress lines (run)
      --allow-empty     a plan with no gate to evaluate passes (run, validate); without it,
                        nothing to evaluate is a configuration error
      --no-color        plain text (also NO_COLOR=1)
      --debug           print stack traces of internal errors

Exit codes:
  0  every required gate is met (validate, list: the file is valid)
  1  a required gate is unmet
  2  configuration error: the gates file or the command line is wrong
  3  internal error in release-gates
`

export const COMMAND_HELP: Record<string, string> = {
  run: `release-gates run [--config FILE] [--env NAME] [--stage NAME] [--only IDS] [--json FILE]

Evaluates every gate of the plan concurrently, each within its timeout, shows live progress
on a terminal, prints a table (status, gate, section, result, time) and the details of every
unmet gate, and exits 0 when every required gate is met, 1 when one is not. A plan with
nothing to evaluate exits 2 unless --allow-empty. With --shard K/N it evaluates one part of
the plan (the same split on every machine) and its --json report says which; merge joins them.
`,
  merge: `release-gates merge REPORT.json... [--json FILE] [--sarif FILE]

Joins the JSON reports of the N shards of one plan on one commit (run --shard K/N --json) into
the report a whole run would have written, prints its table and exits by its result. A shard
missing or twice, reports of another plan or commit, or a gate no shard evaluated: exit 1
with the reason, never a pass. Globs are expanded ('reports/*.json').
`,
  validate: `release-gates validate [--config FILE] [--json [FILE|-]]

Loads the gates file and everything it extends, validates it against gates/schema.json and
resolves every environment, reporting every problem as file:line:col. With --json, prints (or
writes to FILE) { valid, file, problems: [{ file, line, column, path, message }], ... } instead.
Exits 0 or 2.
`,
  list: `release-gates list [--config FILE] [--env NAME] [--stage NAME] [--only IDS] [--json FILE|-]

Prints the resolved plan: each gate's id, check kind, whether it is required, its stage,
timeout and section, and gates switched off in the environment. Exits 0 or 2.
`,
  init: `release-gates init [CHECKLIST.md] [--out FILE] [--force] [--cwd DIR]

Imports the checklist as \`import\` does, then wires each item to what the repository shows,
reading files only and running nothing: package.json scripts and workspaces, tsconfig and ESLint
files, the test runner (jest, vitest, mocha, node, pytest) and the flags that make it write
coverage, source folders, .env.example keys (URL values get a scheme pattern), Python projects
and their linters (flake8, ruff, pylint through command). One tests gate per package with a test
script; coverage needs the tests gate that writes its report; an item with nothing to run on here
stays manual, saying what is missing. Above 25 sign-offs in a stage, the manual items of each
section become one section sign-off that lists them. Without a checklist, the gates come from the
repository alone. Prints what is ready, what needs a value and where to look, which commands were
found; then validates the file. Into an existing gates file it merges: gates whose id or name
match an item are kept exactly as they are, new items are added, gates no item matches are kept
and listed. --force replaces the file instead.
`,
  import: `release-gates import CHECKLIST.md [--out FILE] [--stage NAME]

Turns every task item of a markdown checklist (- [ ], * [x], nested, table rows with a checkbox
cell) into one gate: a stable id, the item as name, its headings as section, the stage the
headings name (pre-deployment: pre-release; deployment and verification: post-deploy;
ongoing, daily, weekly, monthly: recurring; rollback, emergency, incident: contingency, which a
normal run does not evaluate; --stage forces one). Items a check kind can prove are wired to it
by gates/import-rules.yml, with a comment naming the words that chose it, never to a command
that changes the world (a read-only twin instead, or manual); values
the text cannot give are FILL-ME parameters, and those gates stay disabled until filled. Prints
how many items were automated, per kind and per stage. Into an existing gates file it merges,
as init does. Exits 0, or 2.
`,
  checklist: `release-gates checklist [--config FILE] [--env NAME] [--stage NAME] [--from REPORT.json] [--output FILE]

Renders the gates file as a markdown checklist, sections as headings (every stage unless
--stage), for a release issue or a job summary. With --from, items are ticked from a JSON
report: ✅ met, ❌ unmet, ⏳ waiting for a sign-off. import reads it back to the same gates.
`,
  baseline: `release-gates baseline [--config FILE] [--env NAME] [--stage NAME] [--only IDS] [--output FILE]

Runs the plan and writes, by gate, the fingerprint of every finding (rule, path, line and
fingerprint; never a value) to --output (default .github/release-gates-baseline.json). A gate
given \`baseline: <that file>\` then fails only on findings not in it: adopting a gate on a
repository with thousands of ESLint errors blocks only new ones. The JSON report of an earlier
run (the base commit's) is a baseline too. Gates that could not evaluate record nothing.
`,
  secrets: `release-gates secrets baseline [--config FILE] [--output FILE]

Scans the repository as the gates file's first \`secrets\` gate says (every tracked file when there
is none) and writes the fingerprints of what it finds to FILE, so a team adopting the gate starts
from zero new findings: point the gate's \`baseline\` at the file. The file holds rule, path, line
and fingerprint of each finding, never a secret. Exits 0, or 2 on a wrong command line.
`
}
