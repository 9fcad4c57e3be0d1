import { describe, expect, it } from 'vitest'
import { groupByChannel, presetSize, renditionCount, suggestedPackName } from './presets'

const p = (id: string, channel: string) => ({ id, channel, width: 100, height: 50 })

describe('presets', () => {
  it('groups by channel in the usual order, then others sorted; presets keep their order', () => {
    const groups = groupByChannel([p('a4', 'print'), p('sq', 'social'), p('tv', 'screen'), p('hdr', 'email'), p('st', 'social'), p('bb', 'billboard')])
    expect(groups.map((g) => g.channel)).toEqual(['social', 'email', 'print', 'billboard', 'screen'])
    expect(groups[0]!.presets.map((x) => x.id)).toEqual(['sq', 'st'])
  })

  it('counts renditions and writes sizes', () => {
    expect(renditionCount(3, 4)).toBe(12)
    expect(renditionCount(0, 4)).toBe(0)
    expect(presetSize({ width: 1080, height: 1920 })).toBe('1080 × 1920')
  })

  it('suggests a safe file name for a pack', () => {
    expect(suggestedPackName('Cairn Outdoor (sample)', new Date(2026, 10, 2))).toBe('cairn-outdoor-sample-pack-2026-11-02.zip')
    expect(suggestedPackName('Épicéa', new Date(2026, 0, 15))).toBe('epicea-pack-2026-01-15.zip')
    expect(suggestedPackName('***', new Date(2026, 0, 15))).toBe('outpost-pack-2026-01-15.zip')
  })
})
