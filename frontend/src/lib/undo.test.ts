import { describe, expect, it } from 'vitest'
import { UndoStack, undoKey, type UndoKeyInput } from './undo'

const edit = (slot: string, before: string, after: string, locale = 'fr') => ({ locale, slot, before, after })

describe('UndoStack', () => {
  it('undoes and redoes edits in order', () => {
    const s = new UndoStack()
    s.push(edit('subject', '', 'Hello'))
    s.push(edit('subject', 'Hello', 'Hello world'))
    expect(s.canUndo).toBe(true)
    expect(s.canRedo).toBe(false)
    expect(s.undo()).toEqual(edit('subject', 'Hello', 'Hello world'))
    expect(s.undo()).toEqual(edit('subject', '', 'Hello'))
    expect(s.undo()).toBeUndefined()
    expect(s.canRedo).toBe(true)
    expect(s.redo()).toEqual(edit('subject', '', 'Hello'))
    expect(s.peekUndo()).toEqual(edit('subject', '', 'Hello'))
    expect(s.peekRedo()).toEqual(edit('subject', 'Hello', 'Hello world'))
  })

  it('forgets what could be redone when a new edit comes', () => {
    const s = new UndoStack()
    s.push(edit('a', '', '1'))
    s.undo()
    expect(s.canRedo).toBe(true)
    s.push(edit('b', '', '2'))
    expect(s.canRedo).toBe(false)
    expect(s.undo()?.slot).toBe('b')
    expect(s.undo()).toBeUndefined()
  })

  it('does not record an edit that changed nothing', () => {
    const s = new UndoStack()
    s.push(edit('a', 'same', 'same'))
    expect(s.canUndo).toBe(false)
  })

  it('puts a failed undo or redo back', () => {
    const s = new UndoStack()
    s.push(edit('a', '', '1'))
    s.undo()
    s.cancelUndo()
    expect(s.peekUndo()?.after).toBe('1')
    expect(s.canRedo).toBe(false)
    s.undo()
    s.redo()
    s.cancelRedo()
    expect(s.canUndo).toBe(false)
    expect(s.peekRedo()?.after).toBe('1')
  })

  it('keeps at most its limit, dropping the oldest', () => {
    const s = new UndoStack(3)
    for (let i = 1; i <= 5; i++) s.push(edit('a', String(i - 1), String(i)))
    const seen: string[] = []
    for (let e = s.undo(); e; e = s.undo()) seen.push(e.after)
    expect(seen).toEqual(['5', '4', '3'])
  })

  it('copies what it is given', () => {
    const s = new UndoStack()
    const e = edit('a', '', '1')
    s.push(e)
    e.after = 'changed'
    expect(s.undo()?.after).toBe('1')
  })
})

describe('undoKey', () => {
  const key = (k: Partial<UndoKeyInput>): UndoKeyInput => ({
    key: '',
    code: '',
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...k,
  })

  it('reads Ctrl/Cmd+Z as undo and with Shift as redo', () => {
    expect(undoKey(key({ key: 'z', code: 'KeyZ', ctrlKey: true }))).toBe('undo')
    expect(undoKey(key({ key: 'z', code: 'KeyZ', metaKey: true }))).toBe('undo')
    expect(undoKey(key({ key: 'Z', code: 'KeyZ', ctrlKey: true, shiftKey: true }))).toBe('redo')
    expect(undoKey(key({ key: 'Z', code: 'KeyZ', metaKey: true, shiftKey: true }))).toBe('redo')
  })

  it('reads Ctrl+Y as redo', () => {
    expect(undoKey(key({ key: 'y', code: 'KeyY', ctrlKey: true }))).toBe('redo')
    expect(undoKey(key({ key: 'Y', code: 'KeyY', ctrlKey: true, shiftKey: true }))).toBeNull()
  })

  it('follows the letter typed on AZERTY, where Z is the W key', () => {
    expect(undoKey(key({ key: 'z', code: 'KeyW', ctrlKey: true }))).toBe('undo')
    expect(undoKey(key({ key: 'w', code: 'KeyZ', ctrlKey: true }))).toBeNull()
  })

  it('uses the physical key on a layout without Latin letters', () => {
    expect(undoKey(key({ key: 'я', code: 'KeyZ', ctrlKey: true }))).toBe('undo')
  })

  it('ignores Z alone, with Alt, and other letters', () => {
    expect(undoKey(key({ key: 'z', code: 'KeyZ' }))).toBeNull()
    expect(undoKey(key({ key: 'z', code: 'KeyZ', ctrlKey: true, altKey: true }))).toBeNull()
    expect(undoKey(key({ key: 'a', code: 'KeyA', ctrlKey: true }))).toBeNull()
  })
})
