// The office's own photos, the crop editor and asset packs, against the real
// backend: importing photos (a good one and a damaged one), editing and
// deleting one, moving a focal point and seeing every preset's crop follow,
// and exporting a pack down to its report.
//
// Native dialogs can't be driven: the photo picker is replaced in the page
// by the paths .ci/e2e.sh puts in OUTPOST_E2E_PHOTOS (the real ImportPhotos
// binding then runs), and PackService.ChooseDestination answers with
// OUTPOST_E2E_PACK_DEST on the Go side.
import type { Locator, Page } from '@playwright/test'
import { expect, test, waitForLibrary } from './fixtures'

const photos = (process.env.OUTPOST_E2E_PHOTOS ?? '').split(',').filter(Boolean)
const packDest = process.env.OUTPOST_E2E_PACK_DEST ?? ''

/** Replaces only the native photo picker: the real ImportPhotos binding then runs. */
async function pickPhotos(page: Page, paths: string[]) {
  await page.evaluate((p) => {
    const bridge = window as unknown as { go: { app: { LibraryService: { ChoosePhotos: () => Promise<string[]> } } } }
    bridge.go.app.LibraryService.ChoosePhotos = () => Promise.resolve(p)
  }, paths)
}

/** The CSS a preset's crop box shows the picture with. */
function boxCss(box: Locator): Promise<string> {
  return box.evaluate((el) => {
    const s = (el as HTMLElement).style
    return `${s.backgroundSize} @ ${s.backgroundPosition}`
  })
}

test.beforeEach(async ({ page }) => {
  await waitForLibrary(page)
  await expect(page.getByTestId('asset-card').first()).toBeVisible()
})

test('the crops of every preset follow the focal point as it is dragged', async ({ page }) => {
  await page.goto('/#/library/asset/misty-pier')
  await expect(page.getByTestId('asset-title')).not.toHaveText('')
  await page.getByTestId('asset-open-crops').click()
  await expect(page.getByTestId('asset-view-crops')).toHaveAttribute('aria-checked', 'true')

  const editor = page.getByTestId('crop-editor')
  const square = editor.locator('[data-testid="crop-preset"][data-preset="social-square"]')
  const squareBox = square.getByTestId('crop-box')
  await expect(squareBox).toHaveAttribute('style', /background-position/)
  // Every preset of the sample library, grouped by channel.
  await expect(editor.getByTestId('crop-preset')).toHaveCount(8)
  await expect(editor.locator('[data-preset="print-a4"]').getByTestId('crop-upscaled')).toBeVisible()
  await expect(page.getByTestId('crop-hq-note')).toContainText("The focal point is HQ's")
  const before = await boxCss(squareBox)

  // Drag the point to the left edge: the square crop slides to the left.
  const focal = page.getByTestId('crop-focal')
  const picture = page.getByTestId('crop-picture')
  const frame = (await picture.boundingBox())!
  const from = (await focal.boundingBox())!
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
  await page.mouse.down()
  await page.mouse.move(frame.x + frame.width * 0.3, frame.y + frame.height * 0.5, { steps: 6 })
  await page.mouse.move(frame.x + 2, frame.y + frame.height * 0.5, { steps: 6 })
  await page.mouse.up()
  await expect.poll(() => boxCss(squareBox)).not.toBe(before)
  expect(await boxCss(squareBox)).toMatch(/@ 0% /)
  await expect(page.getByTestId('crop-focal-value')).toHaveText(/^Focal point: 0% across/)
  await expect(page.getByTestId('crop-preview-only')).toBeVisible()

  // The keyboard moves it too: 10% with Shift.
  await focal.focus()
  await page.keyboard.press('Shift+ArrowRight')
  await expect(page.getByTestId('crop-focal-value')).toHaveText(/^Focal point: 10% across/)
  const afterKeys = await boxCss(squareBox)

  // A manual crop for one preset: the frame moves with the arrow keys.
  await square.getByTestId('crop-adjust').click()
  const rect = page.getByTestId('crop-rect')
  await expect(rect).toBeFocused()
  await page.keyboard.press('Shift+ArrowRight')
  await page.keyboard.press('Shift+ArrowRight')
  await expect(square.getByTestId('crop-manual')).toBeVisible()
  await expect.poll(() => boxCss(squareBox)).not.toBe(afterKeys)
  await page.keyboard.press('Enter')
  await expect(rect).toHaveCount(0)

  // The crops go with the image into a pack.
  await page.getByTestId('crop-add-to-pack').click()
  await expect(page.getByTestId('toast').last()).toHaveText(/Added to the asset pack with these crops/)
  // Back to the picture and its details: the image is in the pack.
  await page.getByTestId('asset-view-picture').click()
  await expect(page.getByTestId('asset-add-to-pack')).toHaveAttribute('aria-pressed', 'true')
  await page.getByTestId('asset-open-packs').click()
  const item = page.locator('[data-testid="pack-item"][data-id="misty-pier"]')
  await expect(item).toBeVisible()
  await expect(item).toContainText(/\d+ crops/)
  await item.getByTestId('pack-item-remove').click()
  await expect(page.getByTestId('pack-images-empty')).toBeVisible()
})

test('a pack of two images is exported, and its report lists the files', async ({ page }) => {
  expect(packDest, 'OUTPOST_E2E_PACK_DEST (set by .ci/e2e.sh)').not.toBe('')
  await page.getByTestId('nav-packs').click()
  await expect(page.getByTestId('packs-view')).toBeVisible()
  await expect(page.getByTestId('pack-export-button')).toBeDisabled()

  // Two images from the picker.
  await page.getByTestId('pack-add-images').click()
  const picker = page.getByTestId('pack-picker')
  await picker.getByTestId('pack-picker-search').fill('pier')
  await picker.locator('[data-testid="pack-picker-item"][data-id="misty-pier"]').click()
  await picker.getByTestId('pack-picker-search').fill('jetty')
  await picker.locator('[data-testid="pack-picker-item"][data-id="lakeside-jetty-planks"]').click()
  await expect(picker.getByTestId('pack-picker-count')).toHaveText('2 images in the pack')
  await picker.getByTestId('pack-picker-done').click()
  await expect(page.getByTestId('pack-item')).toHaveCount(2)

  // Two presets: everything off by channel, then two on.
  for (const channel of ['social', 'email', 'web', 'print']) {
    const box = page.getByTestId(`preset-group-${channel}`)
    if (await box.isChecked()) await box.uncheck()
    else if (await box.evaluate((el) => (el as HTMLInputElement).indeterminate)) {
      await box.check()
      await box.uncheck()
    }
  }
  await expect(page.getByTestId('pack-export-button')).toBeDisabled()
  await page.locator('[data-testid="preset-check"][data-preset="social-square"]').check()
  await page.locator('[data-testid="preset-check"][data-preset="email-header"]').check()
  await expect(page.getByTestId('pack-plan')).toHaveText('2 images × 2 presets = 4 files')

  await page.getByTestId('pack-export-button').click()
  const done = page.getByTestId('pack-done')
  await expect(done).toBeVisible({ timeout: 90_000 })
  await expect(page.getByTestId('pack-path')).toHaveText(packDest)
  expect(Number(await page.getByTestId('pack-files').textContent())).toBeGreaterThanOrEqual(4)
  await expect(page.getByTestId('pack-failed')).toHaveText('None')
  await expect(page.getByTestId('pack-size')).toHaveText(/\d.*(kB|MB|bytes)/)

  // The report, in a sandboxed frame, names every rendition.
  await page.getByTestId('pack-open-report').click()
  const frame = page.getByTestId('pack-report-frame')
  await expect(frame).toHaveAttribute('sandbox', '')
  const report = page.frameLocator('[data-testid="pack-report-frame"]')
  await expect(report.locator('body')).toContainText('misty-pier', { timeout: 15_000 })
  await expect(report.locator('body')).toContainText('lakeside-jetty-planks')
  await expect(report.locator('body')).toContainText('social-square')
  await expect(report.locator('body')).toContainText('email-header')
  await expect(report.locator('script')).toHaveCount(0)
  await page.keyboard.press('Escape')
  await expect(frame).toHaveCount(0)

  // A new export starts from the same selection.
  await page.getByTestId('pack-dismiss').click()
  await expect(page.getByTestId('pack-export-button')).toBeEnabled()
  await page.getByTestId('pack-clear').click()
  await expect(page.getByTestId('pack-images-empty')).toBeVisible()
})

test('photos are imported, a damaged one is refused with its name, and a local photo is edited and deleted', async ({ page }) => {
  expect(photos, 'OUTPOST_E2E_PHOTOS (set by .ci/e2e.sh)').toHaveLength(2)
  await pickPhotos(page, photos)
  await page.getByTestId('import-photos').click()

  const result = page.getByTestId('photo-import-result')
  await expect(result).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('photo-import-counts')).toHaveText("1 photo imported · 1 file couldn't be imported")
  const failure = page.locator('[data-testid="photo-import-failure"][data-name="broken-scan.jpg"]')
  await expect(failure).toHaveText("“broken-scan.jpg” can't be imported: it is damaged or incomplete.")
  // 96 × 64 pixels: too small for every preset, named.
  await expect(page.getByTestId('photo-import-too-small')).toContainText('harbour at dawn')
  await expect(page.getByTestId('photo-import-too-small')).toContainText('Square post')

  // The local photos chip shows just them, with their badge.
  await page.getByTestId('photo-import-show').click()
  await expect(page.getByTestId('filter-local')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('asset-card')).toHaveCount(1)
  const card = page.getByTestId('asset-card').first()
  await expect(card.getByTestId('asset-local-badge')).toHaveText('Local')
  await card.click()

  // Its detail: who imported it, an editable title and tags.
  await expect(page.getByTestId('asset-local-badge')).toBeVisible()
  await expect(page.getByTestId('asset-imported')).toContainText('Imported')
  await expect(page.getByTestId('photo-title')).toHaveValue('harbour at dawn')
  await page.getByTestId('photo-title').fill('Harbour at dawn')
  await page.getByTestId('tag-field').fill('harbour, Morning')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('photo-tags').getByTestId('tag-item')).toHaveText(['harbour', 'morning'])
  await page.getByTestId('photo-save').click()
  await expect(page.getByTestId('asset-title')).toHaveText('Harbour at dawn')
  await expect(page.getByTestId('photo-save')).toBeDisabled()

  // Its focal point is saved for good.
  await page.getByTestId('asset-open-crops').click()
  await page.getByTestId('crop-focal').focus()
  await page.keyboard.press('Shift+ArrowLeft')
  await page.keyboard.press('Shift+ArrowUp')
  await page.getByTestId('focal-save').click()
  await expect(page.getByTestId('crop-focal-value')).toHaveText('Focal point: 40% across, 40% down')
  await expect(page.getByTestId('focal-save')).toHaveCount(0)
  await page.getByTestId('asset-view-picture').click()
  await expect(page.getByTestId('asset-focal')).toHaveText('40% across, 40% down')

  // Deleted after a confirmation: gone from the library.
  await page.getByTestId('photo-delete').click()
  await page.getByTestId('photo-delete-dialog').getByTestId('confirm-ok').click()
  await expect(page).toHaveURL(/#\/library$/)
  await expect(page.getByTestId('toast').last()).toHaveText('“Harbour at dawn” deleted.')
  await expect(page.getByTestId('grid-empty')).toBeVisible()
  await expect(page.locator('[data-testid="asset-card"][data-id^="local-"]')).toHaveCount(0)
  await page.getByTestId('filter-local').click()
  await expect(page.getByTestId('filter-local')).toHaveCount(0)
})
