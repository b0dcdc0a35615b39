// The journey of "Which requirements apply to me?": the AI-Act decision aid
// (/beslishulp/ai-verordening/, static/kader-classify.js on the bundled tree
// content/beslisbomen/ai-verordening/ai-verordening.yaml), its static
// conclusion pages (/beslishulp/ai-verordening/<conclusion>/) and "Vereisten
// voor jou" (/vereisten-voor-jou/, static/kader-profile.js), under the
// site's CSP:
//
//   - mouse: a walk to "U bent aanbieder van een hoog-risico-AI-systeem"
//     (12.4), its outcome, then "Vereisten voor jou" with the profile as
//     chips; removing a chip, reload, a shared link, browser Back;
//   - keyboard only: the same walk with focus on each new question and the
//     outcome announced, then a chip removed by keyboard;
//   - the profile form by hand, and "Wis profiel";
//   - without JavaScript: the tree as linked sections, a conclusion page
//     and the full list;
//   - English;
//   - axe, no console errors, no sideways scrolling at 390 px, and
//     screenshots at 390 and 1366 px.
//
//   bash tests/browser/run.sh decision-aid

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, openPage, tabTo, describeFocus, overflowingElements } from './lib/browser.mjs';
import { serveBuild, SCREENSHOT_DIR, ensureDir } from './lib/site.mjs';
import { runAxe, formatViolations } from './lib/axe.mjs';

const TREE = { nl: 'beslishulp/ai-verordening/', en: 'en/beslishulp/ai-verordening/' };
const PROFILE = { nl: 'vereisten-voor-jou/', en: 'en/vereisten-voor-jou/' };
const CONCLUSION = { id: '12.4', nl: 'beslishulp/ai-verordening/12-4/', en: 'en/beslishulp/ai-verordening/12-4/' };

// A walk through ai-verordening.yaml (and .en.yaml, same ids and order) to
// conclusion 12.4: an AI system with a specific purpose, no exclusion, the
// organisation develops it and places it on the market under its own name
// (label `aanbieder`), not prohibited, not a product of annex I, annex III
// "essential services" (`hoog-risico AI`), no profiling, no exception of
// article 6(3), no transparency obligation. [questionId, answer text].
const WALK = {
  nl: [
    ['1.1', 'Ja'],
    ['1.2', 'Ja'],
    ['1.3', 'Nee, het heeft een specifiek doel'],
    ['1.5', 'Nee, geen van deze uitsluitingen is van toepassing'],
    ['2.1', 'Wij ontwikkelen het systeem (of laten het ontwikkelen) en brengen het onder eigen naam in de handel, zodat anderen het gebruiken'],
    ['3.1', 'Nee'],
    ['3.2', 'Nee'],
    ['3.3', 'Essentiële diensten: recht op uitkeringen of publieke diensten beoordelen, kredietwaardigheid, levens- en zorgverzekeringen, of noodoproepen beoordelen'],
    ['3.4', 'Nee'],
    ['3.5', 'Nee'],
    ['4.1', 'Nee'],
  ],
  en: [
    ['1.1', 'Yes'],
    ['1.2', 'Yes'],
    ['1.3', 'No, it has a specific purpose'],
    ['1.5', 'No, none of these exclusions applies'],
    ['2.1', 'We develop the system (or have it developed) and place it on the market under our own name, so that others use it'],
    ['3.1', 'No'],
    ['3.2', 'No'],
    ['3.3', 'Essential services: assessing eligibility for benefits or public services, creditworthiness, life and health insurance, or evaluating emergency calls'],
    ['3.4', 'No'],
    ['3.5', 'No'],
    ['4.1', 'No'],
  ],
};

// Requirements (content/vereisten) that tell the profiles apart:
// rol-ai-act [gebruiksverantwoordelijke] only, and [aanbieder] only, both
// for high-risk AI systems.
const DEPLOYER_ONLY = 'vereisten/aia-gebruik-volgens-instructies/';
const PROVIDER_ONLY = 'vereisten/aia-conformiteitsbeoordeling/';

let browser, site;
before(async () => {
  site = await serveBuild('root');
  browser = await launch();
  ensureDir(SCREENSHOT_DIR);
});
after(async () => {
  await browser?.close();
  await site?.close();
});

const href = (p) => new URL(p, site.url).pathname;

// ------------------------------------------------------------ the widget

async function ready(page) {
  await page.waitForSelector('.kader-decide[data-kader-decide-ready]', { timeout: 15_000 });
}

/** The question id shown, or `=conclusionId`. */
async function currentId(page) {
  return page.evaluate(() => {
    const q = document.querySelector('.kd-question');
    const c = document.querySelector('.kd-conclusion');
    return q ? q.getAttribute('data-question-id') : c ? `=${c.getAttribute('data-conclusion-id')}` : null;
  });
}

async function waitForStep(page, want) {
  try {
    await page.waitForFunction(
      (w) => {
        const q = document.querySelector('.kd-question');
        const c = document.querySelector('.kd-conclusion');
        return (q ? q.getAttribute('data-question-id') : c ? `=${c.getAttribute('data-conclusion-id')}` : null) === w;
      },
      want,
      { timeout: 10_000 },
    );
  } catch {
    assert.fail(`the decision aid did not get to ${want}; it shows ${await currentId(page)}`);
  }
}

/** The index of the answer with exactly this text on the current question. */
async function answerIndex(page, text) {
  const texts = await page.locator('.kd-question .kd-option .kd-option-text > span:first-child').allTextContents();
  const i = texts.map((t) => t.trim().replace(/\s+/g, ' ')).indexOf(text);
  assert.ok(i >= 0, `no answer "${text}" on question ${await currentId(page)}; answers: ${texts.join(' | ')}`);
  return i;
}

/** The step after `walk[i]`: the next question, or the conclusion. */
const nextStep = (walk, i) => (i + 1 < walk.length ? walk[i + 1][0] : `=${CONCLUSION.id}`);

/** Answer walk[i] with the mouse. */
async function chooseByMouse(page, walk, i) {
  const [id, text] = walk[i];
  assert.equal(await currentId(page), id, `expected question ${id}`);
  await answerIndex(page, text);
  await page.locator('.kd-question').getByText(text, { exact: true }).click();
  await page.locator('.kd-question button[type=submit]').click();
  await waitForStep(page, nextStep(walk, i));
}

/** The outcome per part: { subcategory: text }. */
async function outcome(page) {
  return page.locator('.kd-conclusion .kd-groups dl').evaluate((dl) => {
    const out = {};
    for (const dt of dl.querySelectorAll('dt')) out[dt.textContent.trim()] = dt.nextElementSibling?.textContent.trim();
    return out;
  });
}

const widgetStatus = (page) => page.locator('.kader-decide .kd-shell > [role=status]').textContent();

// ------------------------------------------------------------ Vereisten voor jou

/** What "Vereisten voor jou" shows now. */
async function profileState(page) {
  return page.evaluate(() => {
    const items = [...document.querySelectorAll('.grouped-item')];
    const link = (i) => i.querySelector('.grouped-title a').getAttribute('href');
    const visible = items.filter((i) => i.checkVisibility());
    const current = document.querySelector('[data-profile-current]');
    return {
      search: location.search,
      chips: [...document.querySelectorAll('[data-profile-chips] button')].filter((b) => b.checkVisibility()).map((b) => b.textContent.trim()),
      currentShown: !!current && current.checkVisibility(),
      shown: visible.length,
      total: items.length,
      shownReqs: [...new Set(visible.map(link))].sort(),
      allReqs: [...new Set(items.map(link))].sort(),
      status: document.querySelector('[data-profile-status]')?.textContent.trim() || '',
      checked: [...document.querySelectorAll('[data-profile-form] input:checked')].map((b) => `${b.name}=${b.value}`).sort(),
    };
  });
}

async function profileReady(page) {
  await page.waitForSelector('[data-profile][data-profile-ready]', { state: 'attached', timeout: 15_000 });
  const err = await page.locator('[data-profile]').getAttribute('data-profile-error');
  assert.equal(err, null, `kader-profile.js failed: ${err}`);
}

/**
 * Before an action that changes the profile: take away the marker that
 * kader-profile.js sets at the end of every update (data-profile-ready), so
 * that waitForProfile waits for that update, not the previous one.
 */
async function arm(page) {
  await page.evaluate(() => document.querySelector('[data-profile]').removeAttribute('data-profile-ready'));
}

/**
 * Wait for the update after arm(): the URL query is `search` and `shown`
 * requirement rows show (a number, or {moreThan} / {lessThan}).
 */
async function waitForProfile(page, { search, shown }, what) {
  const exact = typeof shown === 'number' ? shown : null;
  const more = shown?.moreThan ?? null;
  const less = shown?.lessThan ?? null;
  try {
    await page.waitForSelector('[data-profile][data-profile-ready]', { state: 'attached', timeout: 15_000 });
  } catch {
    assert.fail(`${what}: "Vereisten voor jou" did not update; it shows ${JSON.stringify(await profileState(page))}`);
  }
  const s = await profileState(page);
  const ok = (search == null || s.search === search) && (exact == null || s.shown === exact) && (more == null || s.shown > more) && (less == null || s.shown < less);
  assert.ok(ok, `${what}: expected search=${search} shown=${JSON.stringify(shown)}; "Vereisten voor jou" shows ${JSON.stringify(s)}`);
  return s;
}

/** The status line agrees with what is shown. */
function assertStatus(s, lang = 'nl') {
  const want =
    lang === 'nl'
      ? `${s.shownReqs.length} van ${s.allReqs.length} vereisten gelden voor dit profiel.`
      : `${s.shownReqs.length} of ${s.allReqs.length} requirements apply to this profile.`;
  assert.equal(s.status, want);
}

// ------------------------------------------------------------ checks

async function assertAxe(page, where) {
  const violations = await runAxe(page);
  assert.equal(violations.length, 0, formatViolations(violations, where));
}

async function assertNoSidewaysScroll(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  const culprits = overflow > 0 ? await overflowingElements(page) : [];
  assert.ok(overflow <= 0, `${where}: the page scrolls sideways by ${overflow}px at ${page.viewportSize().width}px (WCAG 1.4.10); sticking out:\n  ${culprits.join('\n  ')}`);
}

/**
 * Screenshots at 390 and 1366 px (full page, plus `element` when given),
 * with the reflow check at 390 px. Leaves the viewport at 1366 px.
 */
async function shoot(page, name, element) {
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: width < 600 ? 844 : 800 });
    await page.evaluate(() => document.fonts.ready);
    await page.mouse.move(0, 0);
    if (width === 390) await assertNoSidewaysScroll(page, name);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `decision-aid-${name}-${width}.png`), fullPage: true, animations: 'disabled', caret: 'hide', scale: 'css' });
    if (element) {
      await page.locator(element).first().screenshot({ path: path.join(SCREENSHOT_DIR, `decision-aid-${name}-${width}-part.png`), animations: 'disabled', caret: 'hide', scale: 'css' });
    }
  }
}

// ------------------------------------------------------------ tests

test('mouse: walk to a high-risk provider, its outcome, then Vereisten voor jou with chips; remove a chip, reload, share, Back', { timeout: 180_000 }, async () => {
  const p = await openPage(browser, site.at(TREE.nl), { fresh: true, width: 1366 });
  const { page } = p;
  try {
    await ready(page);
    assert.equal(await page.locator('.kader-decide-fallback').isVisible(), false, 'the no-JS fallback is hidden once the widget runs');
    assert.equal(await page.locator('.kd-progress li[aria-current=step]').textContent().then((t) => t.trim()), 'Soort toepassing (huidige stap)');

    const walk = WALK.nl;
    for (let i = 0; i < walk.length; i++) {
      if (walk[i][0] === '3.3') {
        // Mid-walk: progress by category, the answers so far, axe.
        const steps = await page.locator('.kd-progress li').evaluateAll((ls) => ls.map((l) => [l.querySelector('.kd-step-name').textContent, l.className.match(/kd-step-(\w+)/)?.[1]]));
        assert.deepEqual(
          steps.slice(0, 4),
          [['Soort toepassing', 'done'], ['Reikwijdte', 'done'], ['Rol', 'done'], ['Risicogroep', 'current']],
        );
        assert.equal(await page.locator('.kd-summary-item').count(), i);
        await assertAxe(page, `tree page at question ${walk[i][0]}`);
      }
      await chooseByMouse(page, walk, i);
    }

    // The conclusion: heading, obligation, sources, outcome per part.
    const c = page.locator('.kd-conclusion');
    assert.match(await c.locator('.kd-title').innerText(), /U bent aanbieder van een hoog-risico-AI-systeem\./);
    assert.match(await c.locator('.kd-obligation').innerText(), /risicobeheersysteem.*conformiteitsbeoordeling/s);
    assert.ok((await c.locator('.kd-sources li').count()) >= 1, 'the conclusion lists its sources');
    const groups = await outcome(page);
    // Each part by the taxonomy and term its labels map to (site.toml's
    // [decision_aid]); a part the walk left open reads "niet van toepassing".
    assert.equal(groups['Rol in de AI-verordening'], 'Aanbieder', `outcome per part: ${JSON.stringify(groups)}`);
    assert.equal(groups.Risicogroep, 'Hoog-risico-AI-systeem', `outcome per part: ${JSON.stringify(groups)}`);
    assert.equal(groups['Soort toepassing'], 'AI-systeem', `outcome per part: ${JSON.stringify(groups)}`);
    assert.equal(groups.Systeemrisico, 'niet van toepassing', `outcome per part: ${JSON.stringify(groups)}`);
    assert.match(await widgetStatus(page), /^Uitkomst: U bent aanbieder van een hoog-risico-AI-systeem\./);
    assert.equal(await page.locator('.kd-summary-item').count(), walk.length, 'the summary lists every answer');
    assert.equal(await page.locator('.kd-summary-item .kd-change').count(), walk.length, 'every answer can be changed');
    // Links: "Vereisten voor jou" with the profile, and the conclusion's page.
    const primary = page.locator('.kd-conclusion .kd-primary-link');
    assert.equal(await primary.innerText(), 'Vereisten voor jou');
    const overview = new URL(await primary.getAttribute('href'), page.url());
    assert.equal(overview.pathname, href(PROFILE.nl));
    assert.deepEqual(overview.searchParams.getAll('rol-ai-act'), ['aanbieder']);
    assert.deepEqual(overview.searchParams.getAll('risicogroep'), ['hoog-risico-ai-systeem']);
    assert.equal(await page.locator('.kd-conclusion .kd-links a', { hasText: 'Meer over deze conclusie' }).getAttribute('href'), href(CONCLUSION.nl));
    const widgetReqs = (await page.locator('.kd-conclusion .kd-pages a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).sort();
    assert.ok(widgetReqs.includes(href(PROVIDER_ONLY)), `the conclusion lists ${PROVIDER_ONLY}: ${widgetReqs.join(', ')}`);
    assert.ok(!widgetReqs.includes(href(DEPLOYER_ONLY)), `the conclusion does not list ${DEPLOYER_ONLY}`);

    await assertAxe(page, 'conclusion in the widget');
    await shoot(page, 'conclusion', '.kader-decide');
    p.assertClean('tree page');

    // Follow "Vereisten voor jou".
    await primary.click();
    await page.waitForURL((u) => u.pathname === href(PROFILE.nl));
    await profileReady(page);
    const withProfile = await profileState(page);
    assert.equal(withProfile.search, overview.search, 'the profile arrives in the URL');
    assert.ok(withProfile.currentShown, 'the profile is shown');
    assert.ok(withProfile.chips.includes('Rol in de AI-verordening: Aanbieder'), `chips: ${withProfile.chips.join(', ')}`);
    assert.ok(withProfile.chips.includes('Risicogroep: Hoog-risico-AI-systeem'), `chips: ${withProfile.chips.join(', ')}`);
    assert.ok(withProfile.shown > 0 && withProfile.shown < withProfile.total, `${withProfile.shown} of ${withProfile.total} rows shown`);
    assert.ok(withProfile.shownReqs.includes(href(PROVIDER_ONLY)), `${PROVIDER_ONLY} applies to a provider`);
    assert.ok(!withProfile.shownReqs.includes(href(DEPLOYER_ONLY)), `${DEPLOYER_ONLY} (deployers only) is hidden for a provider`);
    assert.deepEqual(withProfile.shownReqs, widgetReqs, 'the overview shows exactly the requirements the conclusion listed');
    assert.ok(withProfile.checked.includes('rol-ai-act=aanbieder'), 'the form follows the profile');
    assertStatus(withProfile);
    await assertAxe(page, 'Vereisten voor jou with a profile');
    await shoot(page, 'vereisten-voor-jou-profiel', '.profile-current');

    // Remove the role chip: the parameter leaves the URL, more shows.
    await arm(page);
    await page.getByRole('button', { name: 'Verwijder Rol in de AI-verordening: Aanbieder' }).click();
    const noRole = new URLSearchParams(withProfile.search);
    noRole.delete('rol-ai-act');
    const removed = await waitForProfile(page, { search: `?${noRole}`, shown: { moreThan: withProfile.shown } }, 'after removing the role chip');
    assert.equal(removed.chips.length, withProfile.chips.length - 1);
    assert.ok(!removed.chips.some((c) => c.startsWith('Rol in de AI-verordening')), `chips: ${removed.chips.join(', ')}`);
    assert.ok(removed.shownReqs.includes(href(DEPLOYER_ONLY)), `${DEPLOYER_ONLY} shows once the role is open`);
    assert.ok(!removed.checked.includes('rol-ai-act=aanbieder'), 'the form follows the profile');
    assertStatus(removed);
    const afterRemoval = page.url();

    // Reload: the same.
    await page.reload();
    await profileReady(page);
    assert.deepEqual(await profileState(page), removed, 'reload keeps the profile');

    // Share: the URL in a fresh browser context.
    const shared = await openPage(browser, afterRemoval, { fresh: true });
    try {
      await profileReady(shared.page);
      assert.deepEqual(await profileState(shared.page), removed, 'a shared link shows the same');
      shared.assertClean('shared link');
    } finally {
      await shared.close();
    }

    // Back: the profile with the role again.
    await arm(page);
    await page.goBack();
    const back = await waitForProfile(page, { search: withProfile.search, shown: withProfile.shown }, 'after Back');
    assert.deepEqual(back, withProfile, 'Back restores the previous profile');
    // Back again: the walk's conclusion in the decision aid.
    await page.goBack();
    await ready(page);
    await waitForStep(page, `=${CONCLUSION.id}`);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('keyboard only: focus moves to each new question, the outcome is announced; a chip is removed by keyboard', { timeout: 180_000 }, async () => {
  const p = await openPage(browser, site.at(TREE.nl), { fresh: true });
  const { page } = p;
  try {
    await ready(page);
    const walk = WALK.nl;
    for (let i = 0; i < walk.length; i++) {
      const [id, text] = walk[i];
      assert.equal(await currentId(page), id);
      const want = await answerIndex(page, text);
      // Tab from the heading to the answers, past definition buttons and
      // links in the explanation.
      await tabTo(page, '.kd-question input[type=radio]');
      // Arrows move through the radio group (and check); Space checks the first.
      const at = await page.evaluate(() => [...document.querySelectorAll('.kd-question input[type=radio]')].indexOf(document.activeElement));
      const radios = await page.locator('.kd-question input[type=radio]').count();
      if (at === want) await page.keyboard.press('Space');
      for (let k = at; k < want; k++) await page.keyboard.press('ArrowDown');
      for (let k = at; k > want; k--) await page.keyboard.press('ArrowUp');
      assert.equal(
        await page.evaluate(() => [...document.querySelectorAll('.kd-question input[type=radio]')].findIndex((r) => r.checked)),
        want,
        `question ${id}: answer ${want} of ${radios} should be checked`,
      );
      await page.keyboard.press('Enter');
      const next = nextStep(walk, i);
      await waitForStep(page, next);
      // Focus on the new heading, and the live region says where we are.
      try {
        await page.waitForFunction(() => document.activeElement?.classList.contains('kd-title') && !!document.activeElement.closest('.kd-question, .kd-conclusion'), null, { timeout: 5_000 });
      } catch {
        assert.fail(`after answering ${id}, focus is on ${await describeFocus(page)}, not on the heading of ${next}`);
      }
      const status = await widgetStatus(page);
      if (next.startsWith('=')) assert.match(status, /^Uitkomst: U bent aanbieder van een hoog-risico-AI-systeem\.$/);
      else assert.match(status, new RegExp(`^Vraag ${i + 2}: `), `live region after question ${id}: "${status}"`);
    }
    const live = page.locator('.kader-decide .kd-shell > [role=status]');
    assert.equal(await live.getAttribute('aria-live'), 'polite');

    // To "Vereisten voor jou" by keyboard: Tab to the link after it, and
    // Shift+Tab back.
    await tabTo(page, '.kd-conclusion .kd-links a.kd-button-secondary');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement.matches('.kd-conclusion .kd-primary-link')), true, `Shift+Tab went to ${await describeFocus(page)}`);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === href(PROFILE.nl));
    await profileReady(page);
    const before = await profileState(page);
    assert.ok(before.chips.includes('Rol in de AI-verordening: Aanbieder'));

    // Remove the role chip with Enter, and the risk group chip with Space.
    await tabTo(page, '[data-profile-chips] button[aria-label="Verwijder Rol in de AI-verordening: Aanbieder"]');
    await arm(page);
    await page.keyboard.press('Enter');
    const q1 = new URLSearchParams(before.search);
    q1.delete('rol-ai-act');
    const s1 = await waitForProfile(page, { search: `?${q1}`, shown: { moreThan: before.shown } }, 'after Enter on the role chip');
    assert.equal(s1.chips.length, before.chips.length - 1);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'profile-current-title', `focus after removing a chip: ${await describeFocus(page)}`);
    assertStatus(s1);
    const status = page.locator('[data-profile-status]');
    assert.equal(await status.getAttribute('role'), 'status');
    await tabTo(page, '[data-profile-chips] button[aria-label="Verwijder Risicogroep: Hoog-risico-AI-systeem"]');
    await arm(page);
    await page.keyboard.press('Space');
    q1.delete('risicogroep');
    const s2 = await waitForProfile(page, { search: `?${q1}`, shown: { moreThan: s1.shown } }, 'after Space on the risk group chip');
    assert.equal(s2.chips.length, before.chips.length - 2);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('keyboard only: removing the last chip keeps focus on the page and announces the change', { timeout: 60_000 }, async () => {
  const p = await openPage(browser, site.at(`${PROFILE.nl}?rol-ai-act=aanbieder`), { fresh: true });
  const { page } = p;
  try {
    await profileReady(page);
    const before = await profileState(page);
    assert.deepEqual(before.chips, ['Rol in de AI-verordening: Aanbieder']);
    await tabTo(page, '[data-profile-chips] button');
    await arm(page);
    await page.keyboard.press('Enter');
    const after = await waitForProfile(page, { search: '', shown: before.total }, 'after removing the last chip');
    assert.deepEqual(after.chips, []);
    const problems = [];
    // WCAG 2.4.3: the removed button took focus with it; focus must land on
    // something that is still there (as it does after any other chip, on
    // the "Jouw profiel" heading).
    const focus = await describeFocus(page);
    if (focus === 'body') problems.push('focus falls to <body>: the removed chip took it along and the "Jouw profiel" heading it would go to is hidden now');
    // WCAG 4.1.3: the change is announced by a live region that is rendered.
    const status = await page.locator('[data-profile-status]').evaluate((s) => ({ text: s.textContent.trim(), rendered: s.checkVisibility() }));
    if (!status.rendered) problems.push(`the live region says "${status.text}" inside the hidden profile section, so nothing is announced`);
    assert.deepEqual(problems, [], `removing the last chip by keyboard (/${PROFILE.nl}?rol-ai-act=aanbieder):\n  ${problems.join('\n  ')}`);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('the profile form by hand: tick, submit, chips and URL follow, the list narrows; "Wis profiel" clears it', { timeout: 90_000 }, async () => {
  const p = await openPage(browser, site.at(PROFILE.nl), { fresh: true });
  const { page } = p;
  try {
    await profileReady(page);
    const all = await profileState(page);
    assert.equal(all.search, '');
    assert.equal(all.currentShown, false, 'no profile: no chips section');
    assert.equal(all.shown, all.total, 'no profile: every requirement shows');
    assert.match(await page.locator('.profile-total').innerText(), new RegExp(`Deze kennisbank heeft ${all.allReqs.length} vereisten\\.`));

    const details = page.locator('[data-profile-form-wrap]');
    assert.equal(await details.evaluate((d) => d.open), false, 'the form starts closed');
    await details.locator('summary', { hasText: 'Kies je AI-verordeningprofiel' }).click();
    assert.equal(await details.evaluate((d) => d.open), true);
    const form = page.locator('[data-profile-form]');
    await form.getByRole('group', { name: 'Rol in de AI-verordening' }).getByLabel('Gebruiksverantwoordelijke', { exact: true }).check();
    await form.getByRole('group', { name: 'Risicogroep' }).getByLabel('Hoog-risico-AI-systeem', { exact: true }).check();
    await arm(page);
    await form.getByRole('button', { name: 'Toon vereisten voor dit profiel' }).click();
    const s = await waitForProfile(page, { search: '?risicogroep=hoog-risico-ai-systeem&rol-ai-act=gebruiksverantwoordelijke', shown: { lessThan: all.total } }, 'after submitting the form');
    assert.deepEqual(s.chips, ['Risicogroep: Hoog-risico-AI-systeem', 'Rol in de AI-verordening: Gebruiksverantwoordelijke']);
    assert.ok(s.shownReqs.includes(href(DEPLOYER_ONLY)), `${DEPLOYER_ONLY} applies to a deployer`);
    assert.ok(!s.shownReqs.includes(href(PROVIDER_ONLY)), `${PROVIDER_ONLY} (providers only) is hidden for a deployer`);
    assert.deepEqual(s.checked, ['risicogroep=hoog-risico-ai-systeem', 'rol-ai-act=gebruiksverantwoordelijke']);
    assertStatus(s);
    // A group heading counts what is left in it.
    const counts = await page.locator('[data-profile-group]').evaluateAll((gs) =>
      gs.filter((g) => g.checkVisibility()).map((g) => [g.querySelector('[data-profile-group-count]').textContent, `(${[...g.querySelectorAll('.grouped-item')].filter((i) => i.checkVisibility()).length})`]),
    );
    for (const [said, shown] of counts) assert.equal(said, shown, 'a group heading counts its visible requirements');
    assert.equal(await page.locator('[data-profile-group]:not([hidden]) .grouped-items:not(:has(.grouped-item:not([hidden])))').count(), 0, 'no empty group is left showing');
    await assertAxe(page, 'Vereisten voor jou after the form');

    // "Wis profiel": everything again.
    await arm(page);
    await form.getByRole('button', { name: 'Wis profiel' }).click();
    const cleared = await waitForProfile(page, { search: '', shown: all.total }, 'after "Wis profiel"');
    assert.deepEqual(cleared.chips, []);
    assert.equal(cleared.currentShown, false);
    assert.deepEqual(cleared.checked, []);
    // Back: the profile of the form again.
    await arm(page);
    await page.goBack();
    const back = await waitForProfile(page, { search: s.search, shown: s.shown }, 'Back after "Wis profiel"');
    assert.deepEqual(back.chips, s.chips);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('a conclusion page: obligation, profile and the applicable requirements with their measures', { timeout: 90_000 }, async () => {
  const p = await openPage(browser, site.at(CONCLUSION.nl), { fresh: true, width: 1366 });
  const { page } = p;
  try {
    assert.equal(await page.locator('main h1').innerText(), 'U bent aanbieder van een hoog-risico-AI-systeem.');
    assert.equal(await page.locator('main .eyebrow a').getAttribute('href'), href(TREE.nl));
    assert.match(await page.locator('main .kd-obligation').innerText(), /Wat betekent dit\?\s+Voordat het systeem/);
    const profile = await page.locator('main .profile-summary').innerText();
    assert.match(profile, /Rol in de AI-verordening\s+[^\n]*Aanbieder/);
    assert.match(profile, /Risicogroep\s+Hoog-risico-AI-systeem/);
    const heading = await page.locator('#van-toepassing').innerText();
    const n = Number(heading.match(/\((\d+)\)/)?.[1]);
    const reqs = await page.locator('main .grouped-item .grouped-title a').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
    assert.equal(reqs.length, n, `"${heading}" but ${reqs.length} requirements listed`);
    assert.ok(reqs.includes(href(PROVIDER_ONLY)), `${PROVIDER_ONLY} is listed`);
    assert.ok(!reqs.includes(href(DEPLOYER_ONLY)), `${DEPLOYER_ONLY} (deployers only) is not listed`);
    assert.ok((await page.locator('main .grouped-measures li a').count()) > 0, 'the requirements come with their measures');
    // Groups by lifecycle phase, one heading level below the section.
    assert.ok((await page.locator('#van-toepassing ~ .grouped > h3').count()) >= 2, 'grouped by lifecycle phase under h3 headings');
    const link = new URL(await page.locator('main a.button', { hasText: 'Vereisten voor jou' }).getAttribute('href'), page.url());
    assert.equal(link.pathname, href(PROFILE.nl));
    assert.ok(link.searchParams.getAll('rol-ai-act').includes('aanbieder'));
    await assertAxe(page, CONCLUSION.nl);
    await shoot(page, 'conclusiepagina', 'main');
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('without JavaScript: the tree as linked sections to a conclusion page, which lists its requirements; Vereisten voor jou lists all', { timeout: 120_000 }, async () => {
  const p = await openPage(browser, site.at(TREE.nl), { fresh: true, javaScript: false });
  const { page } = p;
  try {
    const fallback = page.locator('.kader-decide-fallback');
    assert.equal(await fallback.isVisible(), true, 'the questions are shown without JavaScript');
    assert.equal(await page.locator('.kd-app').count(), 0, 'no widget without JavaScript');
    const questions = await fallback.locator('section.kd-card[id^="vraag-"]').count();
    assert.equal(questions, 18, 'every question of the tree is a section');
    assert.equal(await fallback.locator('section.kd-card[id^="conclusie-"]').count(), 26, 'every conclusion of the tree is a section');
    // Every answer links to a question on the page or to a conclusion page.
    const targets = await fallback.locator('.kd-static-answers a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const t of targets) {
      if (t.startsWith('#')) assert.equal(await page.locator(`[id="${t.slice(1)}"]`).count(), 1, `answer link ${t} has a target`);
      else assert.match(new URL(t, page.url()).pathname, /^\/beslishulp\/ai-verordening\/\d+-\d+\/$/, `answer link ${t}`);
    }

    // Walk by following the links.
    const anchor = (id) => `vraag-${id.replace(/\./g, '-')}`;
    let at = anchor('1.1');
    for (const [i, [id, text]] of WALK.nl.entries()) {
      assert.equal(at, anchor(id));
      const answer = page.locator(`section[id="${at}"] .kd-static-answers > li`).filter({ has: page.locator(':scope > a, :scope > strong', { hasText: new RegExp(`^${escapeRe(text)}$`) }) });
      assert.equal(await answer.count(), 1, `question ${id}: one answer "${text}"`);
      let a = answer.locator(':scope > a');
      if (!(await a.count())) {
        // An answer that depends on earlier ones lists its targets with
        // their conditions; the reader picks the one the walk goes to.
        const next = nextStep(WALK.nl, i);
        a = answer.locator(`ul a[href="${next.startsWith('=') ? href(CONCLUSION.nl) : `#${anchor(next)}`}"]`);
        assert.equal(await a.count(), 1, `question ${id}, "${text}": no link to ${next} among its targets`);
      }
      const target = await a.getAttribute('href');
      await a.click();
      if (target.startsWith('#')) {
        await page.waitForURL((u) => u.hash === target);
        assert.equal(await page.locator(`[id="${target.slice(1)}"]`).isVisible(), true);
        at = target.slice(1);
      } else {
        await page.waitForURL((u) => u.pathname === new URL(target, site.url).pathname);
        at = null;
      }
    }
    assert.equal(new URL(page.url()).pathname, href(CONCLUSION.nl), 'the walk ends on the conclusion page');

    // The conclusion page lists its requirements, all visible.
    assert.equal(await page.locator('main h1').innerText(), 'U bent aanbieder van een hoog-risico-AI-systeem.');
    const items = page.locator('main .grouped-item');
    const n = await items.count();
    assert.ok(n > 0);
    assert.equal(await page.locator('main .grouped-item:visible').count(), n, 'every requirement of the conclusion is visible');
    const listed = await page.locator('main .grouped-item .grouped-title a').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
    assert.ok(listed.includes(href(PROVIDER_ONLY)));
    assert.match(await page.locator('#van-toepassing').innerText(), new RegExp(`\\(${listed.length}\\)`));

    // "Vereisten voor jou" without a profile lists every requirement.
    await p.goto(site.at(PROFILE.nl));
    const rows = await page.locator('main .grouped-item').count();
    assert.equal(await page.locator('main .grouped-item:visible').count(), rows, 'every row shows without JavaScript');
    const reqs = await page.locator('main .grouped-item .grouped-title a').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
    assert.match(await page.locator('.profile-total').innerText(), new RegExp(`heeft ${reqs.length} vereisten`));
    assert.ok(reqs.includes(href(PROVIDER_ONLY)) && reqs.includes(href(DEPLOYER_ONLY)));
    assert.equal(await page.locator('[data-profile-current]').isVisible(), false, 'no (empty) profile section without JavaScript');
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('without JavaScript: the profile form, which needs JavaScript, is not offered', { timeout: 60_000 }, async () => {
  const p = await openPage(browser, site.at(PROFILE.nl), { fresh: true, javaScript: false });
  const { page } = p;
  try {
    const total = await page.locator('main .grouped-item').count();
    const wrap = page.locator('[data-profile-form-wrap]');
    if (await wrap.isVisible()) {
      // Show what a visitor gets from it: the profile lands in the URL and
      // nothing narrows, without a word.
      await wrap.locator('summary').click();
      await page.locator('[data-profile-form]').getByLabel('Aanbieder', { exact: true }).check();
      await page.locator('[data-profile-form] button[type=submit]').click();
      await page.waitForURL((u) => u.search.includes('rol-ai-act=aanbieder'));
      const shown = await page.locator('main .grouped-item:visible').count();
      assert.fail(
        `"Kies je AI-verordeningprofiel" is offered without JavaScript, but submitting it (${new URL(page.url()).search}) still lists ${shown} of ${total} rows and shows no profile; ` +
          'like the filter forms of the overviews, it should be hidden without JavaScript (or the page should say the profile needs JavaScript)',
      );
    }
  } finally {
    await p.close();
  }
});

test('English: the walk in English to the conclusion, its outcome and Requirements for you', { timeout: 120_000 }, async () => {
  const p = await openPage(browser, site.at(TREE.en), { fresh: true });
  const { page } = p;
  try {
    await ready(page);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.match(await page.locator('.kd-question .kd-number').innerText(), /^Question 1$/i);
    assert.equal(await page.locator('.kd-question button[type=submit]').innerText(), 'Next');
    for (let i = 0; i < WALK.en.length; i++) await chooseByMouse(page, WALK.en, i);
    const c = page.locator('.kd-conclusion');
    assert.match(await c.locator('.kd-title').innerText(), /You are the provider of a high-risk AI system\./);
    assert.match(await c.locator('.kd-obligation').innerText(), /risk management system/);
    assert.match(await widgetStatus(page), /^Outcome: You are the provider of a high-risk AI system\./);
    const groups = await outcome(page);
    assert.equal(groups['Role under the AI Act'], 'Provider', `parts in English: ${JSON.stringify(groups)}`);
    assert.equal(await page.locator('.kd-conclusion .kd-links a', { hasText: 'More about this conclusion' }).getAttribute('href'), href(CONCLUSION.en));
    assert.equal(await page.locator('[data-kd-back]').innerText(), 'Previous question');
    await assertAxe(page, 'English conclusion');
    const primary = page.locator('.kd-conclusion .kd-primary-link');
    assert.equal(await primary.innerText(), 'Requirements for you');
    await primary.click();
    await page.waitForURL((u) => u.pathname === href(PROFILE.en));
    await profileReady(page);
    const s = await profileState(page);
    assert.ok(s.chips.includes('Role under the AI Act: Provider') || s.chips.some((c) => /Provider$/.test(c)), `chips: ${s.chips.join(', ')}`);
    assert.ok(s.shown < s.total);
    assertStatus(s, 'en');
    assert.equal(await page.locator('main h1').innerText(), 'Requirements for you');
    p.assertClean();
  } finally {
    await p.close();
  }
});

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
