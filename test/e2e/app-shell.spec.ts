import { expect, test } from './web-host';

test.describe('app shell in the web host', () => {
  test('shows the station info from app.info() over the contract', async ({ page, webHost }) => {
    await page.goto(webHost.url);
    await expect(page.getByRole('heading', { level: 1, name: 'Station' })).toBeVisible();
    await expect(page.getByTestId('status-host')).toContainText('web host');
    await page.keyboard.press('Alt+4');
    await expect(page.getByTestId('app-info-host')).toHaveText('web');
    // The launch token is taken out of the address bar once read.
    expect(page.url()).not.toContain('token=');
  });

  test('serves the production build of the window (not React development mode)', async ({ page, webHost }) => {
    const scripts: string[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('.js')) scripts.push(response.url());
    });
    await page.goto(webHost.url);
    await expect(page.getByTestId('status-host')).toContainText('web host');
    expect(scripts.length).toBeGreaterThan(0);
    for (const url of scripts) {
      const text = await (await page.request.get(url)).text();
      // React's development build carries its warnings and jsxDEV; the production build has neither.
      expect(text.includes('is deprecated in plain JavaScript React classes'), `${url} is a development build`).toBe(
        false,
      );
      expect(text.includes('jsxDEV'), `${url} uses the development JSX runtime`).toBe(false);
    }
  });

  test('navigates every screen with the keyboard alone', async ({ page, webHost }) => {
    await page.goto(webHost.url);
    await expect(page.getByTestId('status-host')).toContainText('web host');
    for (const [key, name] of [
      ['2', 'Inspect'],
      ['3', 'History'],
      ['4', 'Settings'],
      ['5', 'Devices'],
      ['6', 'Port doctor'],
      ['1', 'Station'],
    ] as const) {
      await page.keyboard.press(`Alt+${key}`);
      await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    }
    await page.getByRole('button', { name: 'Station', exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Devices' })).toHaveAttribute('aria-current', 'page');
  });

  test('switches between light and dark themes and remembers the choice', async ({ page, webHost }) => {
    await page.goto(webHost.url);
    const picker = page.getByLabel('Theme');
    await picker.selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await picker.selectOption('light');
    const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(darkBackground).not.toBe(lightBackground);
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    // A reload keeps working: the token was kept for this tab.
    await expect(page.getByTestId('status-host')).toContainText('web host');
  });

  test('without the launch token the page says what to open instead', async ({ page, webHost }) => {
    await page.goto(webHost.origin + '/');
    await expect(page.getByRole('alert')).toContainText('launch token');
  });

  test('the page runs under the strict CSP with no violations', async ({ page, webHost }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(webHost.url);
    await expect(page.getByTestId('status-host')).toContainText('web host');
    // An injected inline script must not run: script-src has no 'unsafe-inline'.
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    expect(violations.some((text) => text.includes('inline script'))).toBe(true);
    violations.length = 0;
    await page.reload();
    await expect(page.getByTestId('status-host')).toContainText('web host');
    // The app itself triggers none.
    expect(violations).toEqual([]);
  });
});
