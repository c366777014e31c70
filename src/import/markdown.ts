import type { Heading, ListItem, Nodes, PhrasingContent, Root, Table } from 'mdast'
import { fromMarkdown } from 'mdast-util-from-markdown'
import { gfmFromMarkdown } from 'mdast-util-gfm'
import { gfm } from 'micromark-extension-gfm'

/** One task of a markdown checklist. */
export interface ChecklistItem {
  /** The item's text as inline markdown: code spans keep their backticks, links their text. */
  text: string
  checked: boolean
  /** The headings above it, outermost first (a lone document title left out). */
  headings: string[]
  /** 1-based line in the markdown file. */
  line: number
}

/** A part of the checklist that looked like it could hold items but gave none, and why. */
export interface SkippedPart {
  line: number
  headings: string[]
  why: string
}

/** Status marks the `checklist` command puts before an item: not part of its text. */
const STATUS_MARK = /^(?:✅|❌|⏳|⏸️|⚠️|☑️|✔️)\s*/u
const CHECKBOX_CELL = /^\s*(?:\[[ xX]?\]|☐|☑|✅|✔|✓|❌)\s*$/u

/**
 * Every task item of a GFM document: `- [ ]` and `* [x]` at any depth, table rows whose cell is a
 * checkbox (`[ ]`, `☐`, `✅`), and the roles of a sign-off table (role, name, date, signature:
 * `Sign-off: QA Lead`), with the heading path above each.
 */
export function parseChecklist(markdown: string): ChecklistItem[] {
  return readChecklist(markdown).items
}

/** The items of a checklist, and the tables it skipped (no checkbox, not a sign-off table). */
export function readChecklist(markdown: string): {
  items: ChecklistItem[]
  skipped: SkippedPart[]
} {
  const tree = fromMarkdown(markdown, {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()]
  }) as Root
  const titles = tree.children.filter(
    (node): node is Heading => node.type === 'heading' && node.depth === 1
  )
  const dropTitle = titles.length === 1
  const items: ChecklistItem[] = []
  const skipped: SkippedPart[] = []
  const stack: Array<{ depth: number; text: string }> = []
  const headings = () => stack.map((entry) => entry.text)

  const visit = (node: Nodes): void => {
    if (node.type === 'heading') {
      while (stack.length && stack[stack.length - 1]!.depth >= node.depth) stack.pop()
      if (!(dropTitle && node.depth === 1))
        stack.push({ depth: node.depth, text: inline(node.children).trim() })
      return
    }
    if (node.type === 'listItem') return visitItem(node)
    if (node.type === 'table') return visitTable(node)
    if ('children' in node) for (const child of node.children) visit(child as Nodes)
  }
  const visitItem = (node: ListItem): void => {
    if (typeof node.checked === 'boolean') {
      const first = node.children[0]
      const text = first?.type === 'paragraph' ? inline(first.children) : ''
      items.push({
        text: cleanText(text),
        checked: node.checked,
        headings: headings(),
        line: node.position?.start.line ?? 0
      })
    }
    for (const child of node.children) if (child.type !== 'paragraph') visit(child)
  }
  const visitTable = (node: Table): void => {
    const header = (node.children[0]?.children ?? []).map((cell) => inline(cell.children).trim())
    // The item is the column a header names as the task; else the row's longest text.
    const named = header.findIndex((cell) =>
      /^(?:task|item|check|step|action|description|what)/i.test(cell)
    )
    // A sign-off table (role, name, date, signature) has no checkboxes: each role is an item.
    const signoffTable =
      header.some((cell) => /^(?:name|signature|signed|date)\b/i.test(cell)) &&
      (header.some((cell) => /^signature|^sign[- ]?off/i.test(cell)) ||
        headings().some((heading) => /\bsign[- ]?offs?\b|\bapprovals?\b/i.test(heading)))
    const before = items.length
    for (const row of node.children.slice(1)) {
      const cells = row.children.map((cell) => inline(cell.children).trim())
      const box = cells.findIndex((cell) => CHECKBOX_CELL.test(cell))
      if (box < 0 && signoffTable && cells[0] && !/^_+$/.test(cells[0])) {
        items.push({
          text: `Sign-off: ${cleanText(cells[0])}`,
          checked: cells.slice(1).some((cell) => cell && !/^_*$/.test(cell)),
          headings: headings(),
          line: row.position?.start.line ?? 0
        })
        continue
      }
      if (box < 0) continue
      const text =
        named >= 0 && named !== box && cells[named]
          ? cells[named]
          : cells
              .filter((_, index) => index !== box)
              .reduce((longest, cell) => (cell.length > longest.length ? cell : longest), '')
      if (!text) continue
      items.push({
        text: cleanText(text),
        checked: /x|☑|✅|✔|✓/iu.test(cells[box]!),
        headings: headings(),
        line: row.position?.start.line ?? 0
      })
    }
    if (items.length === before && node.children.length > 1)
      skipped.push({
        line: node.position?.start.line ?? 0,
        headings: headings(),
        why: `a table (${header.filter(Boolean).join(' | ')}) with no checkbox column and no sign-off columns (name, date, signature)`
      })
  }
  visit(tree)
  return { items, skipped }
}

function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(STATUS_MARK, '').trim()
}

/** Inline content back to a readable line: code spans keep their backticks; emphasis, links and images lose their markup. */
function inline(nodes: PhrasingContent[] | Nodes[]): string {
  return (nodes as Nodes[])
    .map((node) => {
      switch (node.type) {
        case 'text':
          return node.value
        case 'inlineCode':
          return `\`${node.value}\``
        case 'break':
          return ' '
        case 'image':
          return node.alt ?? ''
        case 'html':
          return ''
        default:
          return 'children' in node ? inline(node.children as Nodes[]) : ''
      }
    })
    .join('')
}
