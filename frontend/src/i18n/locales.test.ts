import { afterEach, describe, expect, it, vi } from 'vitest'
import en from './locales/en.json'
import fr from './locales/fr.json'
import { createAppI18n } from '.'

type Tree = { [k: string]: string | Tree }

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv)
  }
  return out
}

const enLeaves = leaves(en as Tree)
const frLeaves = leaves(fr as Tree)

function placeholders(msg: string): string[] {
  return [...msg.matchAll(/\{\s*([A-Za-z_][\w]*)\s*\}/g)].map((m) => m[1] ?? '').sort()
}

afterEach(() => vi.restoreAllMocks())

describe('locale files', () => {
  it('en.json and fr.json have exactly the same keys', () => {
    expect([...frLeaves.keys()].sort()).toEqual([...enLeaves.keys()].sort())
  })

  it('have no empty messages', () => {
    for (const [key, msg] of [...enLeaves, ...frLeaves]) expect(msg.trim(), key).not.toBe('')
  })

  it('use the same placeholders in both languages', () => {
    for (const [key, msg] of enLeaves) expect(placeholders(frLeaves.get(key) ?? ''), key).toEqual(placeholders(msg))
  })

  it('every message compiles and renders in both languages', () => {
    const warn = vi.spyOn(console, 'warn')
    const error = vi.spyOn(console, 'error')
    for (const locale of ['en', 'fr'] as const) {
      const { t } = createAppI18n(locale).global
      const tree = locale === 'en' ? enLeaves : frLeaves
      for (const [key, msg] of tree) {
        const named = Object.fromEntries(placeholders(msg).map((p) => [p, `<${p}>`]))
        const out = t(key, named)
        expect(out, `${locale}:${key}`).not.toBe(key)
        for (const p of placeholders(msg)) expect(out, `${locale}:${key}`).toContain(`<${p}>`)
      }
    }
    expect(warn).not.toHaveBeenCalled()
    expect(error).not.toHaveBeenCalled()
  })

  it('French text is really French: no English leftovers in user-facing sections', () => {
    const same = [...enLeaves].filter(([k, v]) => frLeaves.get(k) === v && !/^(languages|app\.name|nav\.withShortcut|settings\.about\.line|settings\.sections\.hub|status\.version|settings\.hubUrl\.placeholder|library\.templates\.slotKinds\.date|crop\.size$|packs\.export\.plan$)/.test(k))
    expect(same.map(([k]) => k)).toEqual([])
  })

  it('has a message for every error kind in both languages', () => {
    const kinds = ['internal', 'invalid', 'not_found', 'permission', 'conflict', 'transient', 'corrupt', 'unavailable', 'canceled']
    for (const k of kinds) {
      expect(enLeaves.has(`errorKinds.${k}`), k).toBe(true)
      expect(frLeaves.has(`errorKinds.${k}`), k).toBe(true)
    }
  })
})
