import { describe, expect, it } from 'vitest'
import { addTags, MAX_TAG_LENGTH, MAX_TAGS, normalizeTag, ownTags, sameTags } from './tags'

describe('tags', () => {
  it('normalises like Go: trimmed, inner spaces folded, lower case, at most 40 characters', () => {
    expect(normalizeTag('  Mont   Blanc ')).toBe('mont blanc')
    expect(normalizeTag('   ')).toBe('')
    expect(normalizeTag('É'.repeat(50))).toBe('é'.repeat(MAX_TAG_LENGTH))
  })

  it('adds typed tags split at commas, without duplicates or "local"', () => {
    expect(addTags(['lake'], 'Hut, lake;  summer ,, local')).toEqual(['lake', 'hut', 'summer'])
  })

  it('stops at the most a photo may carry', () => {
    const full = Array.from({ length: MAX_TAGS }, (_, i) => `t${i}`)
    expect(addTags(full, 'one more')).toHaveLength(MAX_TAGS)
  })

  it('leaves Go’s "local" tag out of the editable ones, and compares regardless of order', () => {
    expect(ownTags(['local', 'lake'])).toEqual(['lake'])
    expect(sameTags(['a', 'b'], ['b', 'a'])).toBe(true)
    expect(sameTags(['a'], ['a', 'b'])).toBe(false)
  })
})
