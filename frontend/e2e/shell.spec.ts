// The shell: navigation, status bar, keyboard.
import { expect, SAMPLE_NAME, test, waitForLibrary } from './fixtures'

const sections = [
  { id: 'library', title: 'Library', hash: '#/library' },
  { id: 'campaigns', title: 'Campaigns', hash: '#/campaigns' },
  { id: 'outbox', title: 'Outbox', hash: '#/outbox' },
  { id: 'packs', title: 'Asset packs', hash: '#/packs' },
  { id: 'settings', title: 'Settings', hash: '#/settings' },
]

test('every section opens from the sidebar and the status bar tells the state', async ({ page }) => {
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  const sectionsNav = page.getByRole('navigation', { name: 'Sections', exact: true })
  await expect(sectionsNav).toBeVisible()
  await expect(page.getByRole('main')).toBeVisible()

  for (const s of [...sections].reverse().concat(sections[0]!)) {
    await page.getByTestId(`nav-${s.id}`).click()
    await expect(page.getByTestId('view-title')).toHaveText(s.title)
    await expect(page).toHaveURL(new RegExp(`${s.hash}$`))
    await expect(page.getByTestId(`nav-${s.id}`)).toHaveAttribute('aria-current', 'page')
    await expect(sectionsNav.locator('[aria-current="page"]')).toHaveCount(1)
  }

  const bar = page.getByTestId('status-bar')
  await expect(bar).toBeVisible()
  // With no hub, the app opened its built-in sample library at first start.
  await waitForLibrary(page)
  await expect(page.getByTestId('status-library-name')).toHaveText(new RegExp(`^${SAMPLE_NAME.replace(/[()]/g, '\\$&')} · release \\d+$`))
  await expect(page.getByTestId('status-library-sample')).toHaveText('Sample')
  await expect(page.getByTestId('status-library')).toHaveAttribute('data-state', 'active')
  await expect(page.getByTestId('status-online')).toHaveText('No hub configured')
  await expect(page.getByTestId('status-online')).toHaveAttribute('data-state', 'no_hub')
  await expect(page.getByTestId('status-version')).toHaveText(/\S/)

  // The library's name in the status bar leads to the library; the section
  // stays current on its sub-pages.
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('status-library').click()
  await expect(page.getByTestId('library-name')).toHaveText(SAMPLE_NAME)
  await page.getByTestId('library-tab-brand').click()
  await expect(page).toHaveURL(/#\/library\/brand$/)
  await expect(page.getByTestId('nav-library')).toHaveAttribute('aria-current', 'page')
  await expect(sectionsNav.locator('[aria-current="page"]')).toHaveCount(1)
  await expect(page.getByTestId('library-tab-brand')).toHaveAttribute('aria-current', 'page')
})

test('the keyboard reaches the navigation with a visible focus ring; Enter and Ctrl+N navigate', async ({ page }) => {
  // First stop: the skip link, which moves focus to the content.
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to content' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()

  await page.keyboard.press('Tab')
  const library = page.getByTestId('nav-library')
  await expect(library).toBeFocused()
  const ring = await library.evaluate((el) => {
    const cs = getComputedStyle(el)
    return { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), shadow: cs.boxShadow }
  })
  expect(ring.style !== 'none' && ring.width >= 1, `focus ring: ${JSON.stringify(ring)}`).toBe(true)

  await page.keyboard.press('Tab')
  await expect(page.getByTestId('nav-campaigns')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('view-title')).toHaveText('Campaigns')
  await expect(page.getByTestId('nav-campaigns')).toHaveAttribute('aria-current', 'page')

  await page.keyboard.press('Control+5')
  await expect(page.getByTestId('view-title')).toHaveText('Settings')
  await expect(page.getByTestId('nav-settings')).toHaveAttribute('aria-current', 'page')
  await page.keyboard.press('Control+3')
  await expect(page.getByTestId('view-title')).toHaveText('Outbox')
  await page.keyboard.press('Control+1')
  await expect(page.getByTestId('view-title')).toHaveText('Library')

  // The shortcuts are announced on the links.
  await expect(page.getByTestId('nav-settings')).toHaveAttribute('aria-keyshortcuts', /^(Control|Meta)\+5$/)
  await expect(page.getByTestId('nav-settings')).toHaveAttribute('title', /Settings \((Ctrl\+|⌘)5\)/)

  // The skip link moves focus into main.
  await page.getByTestId('nav-outbox').focus()
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+Tab')
  await expect(skip).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('main')).toBeFocused()
})

test('the layout holds at the minimum window size', async ({ page }) => {
  await page.setViewportSize({ width: 960, height: 600 })
  for (const s of sections) {
    await page.getByTestId(`nav-${s.id}`).click()
    await expect(page.getByTestId('view-title')).toHaveText(s.title)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow, `horizontal overflow on ${s.id}`).toBeLessThanOrEqual(0)
  }
  await expect(page.getByTestId('status-bar')).toBeInViewport()
  await expect(page.getByTestId('nav-settings')).toBeInViewport()
})
