// The Markdown toolbar's text operations: bold, italic, link and bulleted
// list on a textarea's text and selection. Each returns the new text and
// the selection to restore; applying one twice undoes it where that makes
// sense (bold, italic, bullets).

/** A textarea's text and selection (start ≤ end, UTF-16 offsets). */
export interface TextEdit {
  text: string
  start: number
  end: number
}

export type MarkdownAction = 'bold' | 'italic' | 'link' | 'bullets'

export const MARKDOWN_ACTIONS: readonly MarkdownAction[] = ['bold', 'italic', 'link', 'bullets']

export interface MarkdownOptions {
  /** Text a link gets when nothing is selected, e.g. "link text". */
  linkText: string
}

const MARKERS = { bold: '**', italic: '_' } as const

/** The selection without the spaces at its ends: `**word **` is not bold. */
function trimmed(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start]!)) start++
  while (end > start && /\s/.test(text[end - 1]!)) end--
  return [start, end]
}

/** The word around a caret, or [at, at] when the caret is not in one. */
function wordAt(text: string, at: number): [number, number] {
  const word = /[\p{L}\p{N}_'’-]/u
  let s = at
  let e = at
  while (s > 0 && word.test(text[s - 1]!)) s--
  while (e < text.length && word.test(text[e]!)) e++
  return [s, e]
}

function wrap(kind: 'bold' | 'italic', input: TextEdit): TextEdit {
  const m = MARKERS[kind]
  const { text } = input
  let [start, end] = trimmed(text, input.start, input.end)
  if (start === end) [start, end] = wordAt(text, input.start)
  // Already wrapped, markers outside the selection: unwrap.
  const outside = start >= m.length && text.slice(start - m.length, start) === m && text.slice(end, end + m.length) === m
  if (outside) {
    return {
      text: text.slice(0, start - m.length) + text.slice(start, end) + text.slice(end + m.length),
      start: start - m.length,
      end: end - m.length,
    }
  }
  // Markers inside the selection: unwrap.
  const inner = text.slice(start, end)
  if (inner.length >= 2 * m.length && inner.startsWith(m) && inner.endsWith(m)) {
    const body = inner.slice(m.length, inner.length - m.length)
    return { text: text.slice(0, start) + body + text.slice(end), start, end: start + body.length }
  }
  if (start === end) {
    // Nothing to wrap: markers with the caret between them.
    return { text: text.slice(0, start) + m + m + text.slice(end), start: start + m.length, end: start + m.length }
  }
  return {
    text: text.slice(0, start) + m + inner + m + text.slice(end),
    start: start + m.length,
    end: end + m.length,
  }
}

function link(input: TextEdit, opts: MarkdownOptions): TextEdit {
  const { text } = input
  const [start, end] = trimmed(text, input.start, input.end)
  const selected = text.slice(start, end)
  if (/^(https?:\/\/|mailto:)\S+$/i.test(selected)) {
    // A selected address becomes the target; the words are selected to type over.
    const out = `[${opts.linkText}](${selected})`
    return { text: text.slice(0, start) + out + text.slice(end), start: start + 1, end: start + 1 + opts.linkText.length }
  }
  const words = selected || opts.linkText
  const url = 'https://'
  const out = `[${words}](${url})`
  const urlStart = start + words.length + 3
  return { text: text.slice(0, start) + out + text.slice(end), start: urlStart, end: urlStart + url.length }
}

const BULLET = /^(\s*)[-*+] /

function bullets(input: TextEdit): TextEdit {
  const { text } = input
  const lineStart = text.lastIndexOf('\n', input.start - 1) + 1
  // A selection ending at the start of a line does not take that line.
  const endAt = input.end > input.start && text[input.end - 1] === '\n' ? input.end - 1 : input.end
  const nl = text.indexOf('\n', endAt)
  const lineEnd = nl === -1 ? text.length : nl
  const lines = text.slice(lineStart, lineEnd).split('\n')
  const filled = lines.filter((l) => l.trim() !== '')
  const remove = filled.length > 0 && filled.every((l) => BULLET.test(l))
  const next = lines.map((l) => {
    if (l.trim() === '' && lines.length > 1) return l
    return remove ? l.replace(BULLET, '$1') : `- ${l}`
  })
  const block = next.join('\n')
  const out = text.slice(0, lineStart) + block + text.slice(lineEnd)
  if (input.start === input.end) {
    // A caret stays where it was in its line.
    const shift = remove ? -Math.min(2, input.start - lineStart) : 2
    const at = Math.max(lineStart, input.start + shift)
    return { text: out, start: at, end: at }
  }
  return { text: out, start: lineStart, end: lineStart + block.length }
}

/** Applies a toolbar action to a textarea's text and selection. */
export function applyMarkdown(action: MarkdownAction, input: TextEdit, opts: MarkdownOptions): TextEdit {
  const start = Math.max(0, Math.min(input.start, input.end, input.text.length))
  const end = Math.min(input.text.length, Math.max(input.start, input.end))
  const sel = { text: input.text, start, end }
  switch (action) {
    case 'bold':
    case 'italic':
      return wrap(action, sel)
    case 'link':
      return link(sel, opts)
    case 'bullets':
      return bullets(sel)
  }
}

/** The toolbar action of a shortcut typed in a Markdown field: Ctrl/Cmd+B, I, K. */
export function markdownKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): MarkdownAction | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return null
  switch (e.key.toLowerCase()) {
    case 'b':
      return 'bold'
    case 'i':
      return 'italic'
    case 'k':
      return 'link'
  }
  return null
}
