import { describe, expect, it } from 'vitest'
import { applyMarkdown, markdownKey, type MarkdownAction } from './markdownEdit'

const opts = { linkText: 'link text' }

/** Applies an action to text with the selection marked by [ and ] (or a caret |). */
function run(action: MarkdownAction, marked: string): string {
  let text = marked
  let start: number
  let end: number
  if (text.includes('|')) {
    start = end = text.indexOf('|')
    text = text.replace('|', '')
  } else {
    start = text.indexOf('[')
    text = text.replace('[', '')
    end = text.indexOf(']')
    text = text.replace(']', '')
  }
  const out = applyMarkdown(action, { text, start, end }, opts)
  if (out.start === out.end) return out.text.slice(0, out.start) + '|' + out.text.slice(out.start)
  return out.text.slice(0, out.start) + '[' + out.text.slice(out.start, out.end) + ']' + out.text.slice(out.end)
}

describe('bold and italic', () => {
  it('wraps the selection and keeps it selected', () => {
    expect(run('bold', 'Go [further] today')).toBe('Go **[further]** today')
    expect(run('italic', 'Go [further] today')).toBe('Go _[further]_ today')
  })

  it('leaves the spaces at the ends of a selection outside', () => {
    expect(run('bold', 'Go[ further ]today')).toBe('Go **[further]** today')
  })

  it('wraps the word under the caret', () => {
    expect(run('bold', 'Go fur|ther today')).toBe('Go **[further]** today')
    expect(run('italic', 'l’éq|uipe')).toBe('_[l’équipe]_')
  })

  it('inserts markers with the caret between them outside a word', () => {
    expect(run('bold', 'Go |')).toBe('Go **|**')
    expect(run('italic', '|')).toBe('_|_')
  })

  it('unwraps when applied again', () => {
    expect(run('bold', 'Go **[further]** today')).toBe('Go [further] today')
    expect(run('bold', 'Go [**further**] today')).toBe('Go [further] today')
    expect(run('italic', 'Go _[further]_ today')).toBe('Go [further] today')
    expect(run('bold', 'Go **fur|ther** today')).toBe('Go [further] today')
  })
})

describe('link', () => {
  it('makes the selection the words of a link and selects the address to type', () => {
    expect(run('link', 'See [our shop] now')).toBe('See [our shop]([https://]) now')
  })

  it('uses placeholder words when nothing is selected', () => {
    expect(run('link', 'See |')).toBe('See [link text]([https://])')
  })

  it('makes a selected address the target and selects the words', () => {
    expect(run('link', 'Go [https://cairn.example/fr] now')).toBe('Go [[link text]](https://cairn.example/fr) now')
  })
})

describe('bullets', () => {
  it('turns the selected lines into a list, skipping blank lines', () => {
    expect(run('bullets', '[one\ntwo\n\nthree]')).toBe('[- one\n- two\n\n- three]')
  })

  it('takes whole lines even when the selection starts mid-line', () => {
    expect(run('bullets', 'intro\non[e\ntw]o\nend')).toBe('intro\n[- one\n- two]\nend')
  })

  it('removes the bullets when every line has one', () => {
    expect(run('bullets', '[- one\n* two]')).toBe('[one\ntwo]')
    expect(run('bullets', '[- one\ntwo]')).toBe('[- - one\n- two]')
  })

  it('works on the caret’s line and keeps the caret in place', () => {
    expect(run('bullets', 'first\nsec|ond')).toBe('first\n- sec|ond')
    expect(run('bullets', 'first\n- sec|ond')).toBe('first\nsec|ond')
    expect(run('bullets', '|')).toBe('- |')
  })

  it('does not take the line after a selection that ends at its start', () => {
    expect(run('bullets', '[one\n]two')).toBe('[- one]\ntwo')
  })
})

describe('markdownKey', () => {
  const k = (key: string, mods: Partial<KeyboardEvent> = {}) => ({ key, ctrlKey: true, metaKey: false, altKey: false, shiftKey: false, ...mods })
  it('maps Ctrl/Cmd+B, I and K', () => {
    expect(markdownKey(k('b'))).toBe('bold')
    expect(markdownKey(k('I'))).toBe('italic')
    expect(markdownKey(k('k', { ctrlKey: false, metaKey: true }))).toBe('link')
    expect(markdownKey(k('b', { shiftKey: true }))).toBeNull()
    expect(markdownKey(k('b', { ctrlKey: false }))).toBeNull()
    expect(markdownKey(k('x'))).toBeNull()
  })
})
