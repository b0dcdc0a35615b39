// The decision aid (static/kader-classify.*) on the GPAI page
// (<!-- gpai_classifier -->, /ai-verordening/gpai-classificatie/) under the
// site's CSP: a walk by mouse to the tree's own conclusion with the outcome
// per part and the requirements that apply, the compute estimator, the
// answers in the URL (reload, Back and Forward), changing an earlier answer,
// keyboard only with focus and announcements, definition tooltips, English,
// no JavaScript, the sub-path build, axe, and screenshots at 390 and 1366 px.
//
//   bash tests/browser/run.sh classifier

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, openPage, tabTo } from './lib/browser.mjs';
import { serveBuild, SCREENSHOT_DIR, ensureDir } from './lib/site.mjs';
import { runAxe, formatViolations } from './lib/axe.mjs';
import { classifierLoad } from './lib/timing.mjs';

const PAGE = { nl: 'ai-verordening/gpai-classificatie/', en: 'en/ai-verordening/gpai-classificatie/' };
const REQUIREMENT = 'vereisten/aia-gpai-modelevaluatie-systeemrisico/';

let browser, site, sub;
before(async () => {
  site = await serveBuild('root');
  sub = await serveBuild('sub');
  browser = await launch();
  ensureDir(SCREENSHOT_DIR);
});
after(async () => {
  await browser?.close();
  await site?.close();
  await sub?.close();
});

async function ready(page) {
  await page.waitForSelector('.kader-decide[data-kader-decide-ready]', { timeout: 10_000 });
}

async function questionText(page) {
  return (await page.locator('.kd-question .kd-title').innerText()).trim();
}

async function currentId(page) {
  return page.evaluate(() => {
    const q = document.querySelector('.kd-question');
    const c = document.querySelector('.kd-conclusion');
    return q ? q.getAttribute('data-question-id') : c ? `=${c.getAttribute('data-conclusion-id')}` : null;
  });
}

async function waitForChange(page, before) {
  await page.waitForFunction(
    (b) => {
      const q = document.querySelector('.kd-question');
      const c = document.querySelector('.kd-conclusion');
      const now = q ? q.getAttribute('data-question-id') : c ? `=${c.getAttribute('data-conclusion-id')}` : null;
      return now !== b;
    },
    before,
    { timeout: 5_000 },
  );
}

/** Choose the answer whose text starts with `prefix` and go on (mouse). */
async function choose(page, prefix) {
  const before = await currentId(page);
  await page.locator('.kd-option').filter({ hasText: new RegExp(`^\\s*${escapeRe(prefix)}`) }).first().click();
  await page.locator('.kd-question button[type=submit]').click();
  await waitForChange(page, before);
}

async function enterValue(page, value) {
  const before = await currentId(page);
  await page.locator('.kd-question input[name=value]').fill(value);
  await page.locator('.kd-question button[type=submit]').click();
  await waitForChange(page, before);
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function shoot(page, name, width) {
  await page.setViewportSize({ width, height: width < 600 ? 844 : 800 });
  await page.evaluate(() => document.fonts.ready);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `${name} at ${width}px scrolls sideways by ${overflow}px`);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `classifier-${name}-${width}.png`), fullPage: true, animations: 'disabled', caret: 'hide', scale: 'css' });
  await page.locator('.kader-decide').first().screenshot({ path: path.join(SCREENSHOT_DIR, `classifier-${name}-${width}-widget.png`), animations: 'disabled', caret: 'hide', scale: 'css' });
}

async function assertAxe(page, where) {
  const violations = await runAxe(page);
  assert.equal(violations.length, 0, formatViolations(violations, where));
}

const status = (page) => page.locator('.kader-decide [role=status]').innerText();

// ------------------------------------------------------------------ tests

// How soon it works is a figure of scripts/bench-classifier
// (bench/classifier.bench.mjs), not an assertion: here, that a fresh load
// ends with a working widget and sets the performance mark the benchmark
// reads.
test('a fresh load sets the interactive mark', { timeout: 90_000 }, async () => {
  const s = await classifierLoad(browser, site.at(PAGE.nl));
  assert.ok(Number.isFinite(s.interactive), 'no performance mark kader-classify:interactive after the load event');
});

test('nl, mouse: to the tree\'s own conclusion, outcome per part, requirements; URL state; axe and screenshots', { timeout: 120_000 }, async () => {
  const p = await openPage(browser, site.at(PAGE.nl), { fresh: true });
  const { page } = p;
  try {
    await ready(page);
    assert.equal(await page.locator('.kader-decide-fallback').isVisible(), false, 'the fallback is hidden');
    assert.match(await questionText(page), /Gaat het om een AI-model voor algemene doeleinden/);
    assert.deepEqual(
      await page.locator('.kd-progress li').evaluateAll((ls) => ls.map((l) => l.getAttribute('aria-current'))),
      ['step', null, null, null],
    );
    await choose(page, 'Ja');
    await choose(page, 'Aanbieder');
    assert.match(await questionText(page), /rekenkracht/);
    // The compute question: the estimate and the answer it selects, live.
    await page.locator('.kd-question input[name=value]').fill('3e25');
    await page.waitForSelector('.kd-estimate .kd-formula');
    assert.match(await page.locator('.kd-estimate').innerText(), /3,0 × 10\^25 FLOP/);
    assert.match(await page.locator('.kd-range-current').innerText(), /Meer dan 10\^25 FLOP/);
    await assertAxe(page, 'compute question');
    for (const w of [1366, 390]) await shoot(page, 'nl-compute', w);
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.locator('.kd-question button[type=submit]').click();
    await waitForChange(page, '3.0');
    await choose(page, 'Nee');

    const c = page.locator('.kd-conclusion');
    await c.waitFor();
    assert.equal(await c.getAttribute('data-conclusion-id'), 'c-systeemrisico-vermoeden');
    assert.match(await page.locator('.kd-conclusion .kd-title').innerText(), /met een systeemrisico/);
    assert.match(await page.locator('.kd-conclusion .kd-obligation').innerText(), /binnen twee weken/);
    const groups = await page.locator('.kd-groups dl').innerText();
    // Parts by their taxonomy and term (site.toml's [decision_aid]).
    assert.match(groups, /Systeemrisico\s+Met systeemrisico/);
    assert.match(groups, /Open source\s+Geen open source/);
    // The requirements that apply to the profile.
    const hrefs = await page.locator('.kd-pages a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const want = new URL(REQUIREMENT, site.url).pathname;
    assert.ok(hrefs.includes(want), `no link to ${want} among ${hrefs.join(', ')}`);
    // The summary: four answers, each with a change button.
    assert.equal(await page.locator('.kd-summary-item').count(), 4);
    assert.match(await page.locator('.kd-summary-item').nth(2).innerText(), /3,0 × 10\^25 FLOP/);
    assert.equal(new URL(page.url()).searchParams.get('a'), '0_0_v3e+25_1');
    await assertAxe(page, 'conclusion');
    for (const w of [1366, 390]) await shoot(page, 'nl-conclusion', w);
    await page.setViewportSize({ width: 1366, height: 800 });

    // Reload keeps the walk; Back and Forward step through it.
    await page.reload();
    await ready(page);
    assert.equal(await page.locator('.kd-conclusion').getAttribute('data-conclusion-id'), 'c-systeemrisico-vermoeden');
    await page.goBack();
    await page.waitForSelector('.kd-question[data-question-id="4.0"]');
    await page.goForward();
    await page.waitForSelector('.kd-conclusion');

    // Change the compute answer from the summary.
    await page.locator('.kd-summary-item').nth(2).locator('.kd-change').click();
    await page.waitForSelector('.kd-question[data-question-id="3.0"]');
    assert.equal(await page.locator('.kd-summary-item').count(), 2);
    await enterValue(page, '5e24');
    await choose(page, 'Nee');
    assert.match(await questionText(page), /aangewezen/);

    await page.goto(site.at(`${PAGE.nl}?a=0_0_v1e20_9`));
    await ready(page);
    assert.match(await page.locator('.kd-notice').innerText(), /Antwoord 4 uit de link/);
    assert.equal(await currentId(page), '4.0');
    assert.equal(new URL(page.url()).searchParams.get('a'), '0_0_v100000000000000000000');

    await page.goto(site.at(`${PAGE.nl}?a=0_0_v3e25_1`));
    await ready(page);
    await page.locator(`.kd-pages a[href="${want}"]`).click();
    await page.waitForURL(new URL(want, site.url).href);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('nl, keyboard only: focus follows the questions and is announced; back, change, restart', { timeout: 90_000 }, async () => {
  const p = await openPage(browser, site.at(PAGE.nl), { fresh: true });
  const { page } = p;
  const focusIsTitle = (re) =>
    page.waitForFunction((src) => {
      const a = document.activeElement;
      return a?.classList.contains('kd-title') && new RegExp(src).test(a.textContent);
    }, re.source);
  try {
    await ready(page);
    await tabTo(page, '.kd-question input[type=radio]');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await focusIsTitle(/rol/);
    await page.waitForFunction(() => /Vraag 2: /.test(document.querySelector('.kader-decide [role=status]').textContent));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await focusIsTitle(/rekenkracht/);
    await tabTo(page, 'input[name=value]');
    await page.keyboard.type('3e25');
    await page.keyboard.press('Enter');
    await focusIsTitle(/opensource/);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await focusIsTitle(/systeemrisico/);
    assert.match(await status(page), /^Uitkomst: .*systeemrisico/);
    // Back: the previous question.
    await tabTo(page, '[data-kd-back]');
    await page.keyboard.press('Enter');
    await focusIsTitle(/opensource/);
    // Change the first answer from the summary.
    await tabTo(page, '.kd-summary-item .kd-change');
    assert.match(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), /^Wijzig uw antwoord op: Gaat het om/);
    await page.keyboard.press('Enter');
    await focusIsTitle(/Gaat het om/);
    // Submitting without a choice says so.
    await tabTo(page, '.kd-question button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.kd-form-error:not([hidden])');
    assert.match(await page.locator('.kd-form-error').innerText(), /Kies een antwoord/);
    assert.equal(await page.locator('[data-kd-restart]').isDisabled(), true);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('the estimator: 6·N·D, hardware, errors on the field', { timeout: 60_000 }, async () => {
  const p = await openPage(browser, site.at(`${PAGE.nl}?a=0_1`), { fresh: true });
  const { page } = p;
  try {
    await ready(page);
    assert.equal(await currentId(page), '3.0');
    await page.locator('.kd-methods input[value=parameters]').check();
    await page.locator('input[name=parameters]').fill('7e10');
    await page.locator('input[name=tokens]').fill('1,5e12');
    await page.waitForFunction(() => /6 × 7,0 × 10\^10 × 1,5 × 10\^12 = 6,3 × 10\^23 FLOP/.test(document.querySelector('.kd-estimate')?.textContent || ''));
    assert.match(await page.locator('.kd-selects').innerText(), /Meer dan 10\^23 en niet meer dan 10\^25 FLOP/);
    await page.locator('.kd-methods input[value=accelerators]').check();
    await page.locator('input[name=count]').fill('25000');
    await page.locator('input[name=hours]').fill('2400');
    await page.locator('input[name=peakFlops]').fill('9,89e14');
    await page.locator('input[name=utilisation]').fill('140%');
    await page.locator('.kd-question button[type=submit]').click();
    await page.waitForSelector('input[name=utilisation][aria-invalid=true]');
    assert.match(await page.locator('#' + (await page.locator('input[name=utilisation]').getAttribute('id')) + '-error').innerText(), /\S/);
    await page.locator('input[name=utilisation]').fill('40%');
    await page.locator('.kd-question button[type=submit]').click();
    await page.waitForSelector('.kd-question[data-question-id="4.0"]');
    assert.match(await page.locator('.kd-summary-item').nth(2).innerText(), /25000 × 2400 u × 3600 s\/u × 9,9 × 10\^14 FLOP\/s × 0,4 = 8,5 × 10\^25 FLOP/);
    // "Weet ik niet" on the compute question.
    await page.goto(site.at(`${PAGE.nl}?a=0_1`));
    await ready(page);
    await page.locator('.kd-alternatives button').click();
    await page.waitForSelector('.kd-question[data-question-id="4.0"]');
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('definition tooltips: focusable, described, Escape closes', { timeout: 60_000 }, async () => {
  const p = await openPage(browser, site.at(PAGE.nl), { fresh: true });
  const { page } = p;
  try {
    await ready(page);
    // A second widget with definitions, booted by loading the script again.
    await page.evaluate((wasm) => {
      const root = document.createElement('div');
      root.className = 'kader-decide';
      root.id = 'tweede';
      root.setAttribute('data-wasm', wasm);
      root.setAttribute('data-param', 'b');
      const data = document.createElement('script');
      data.type = 'application/json';
      data.className = 'kader-decide-data';
      data.textContent = JSON.stringify({
        lang: 'nl',
        tree: {
          questions: [{ questionId: '1', question: 'Bent u aanbieder van een AI-systeem?', category: 'Rol', subcategory: 'Rol', answers: [{ answer: 'Ja', labels: ['aanbieder'], nextConclusionId: 'c' }] }],
          conclusions: [{ conclusionId: 'c', conclusion: 'Klaar.', obligation: '' }],
        },
        definitions: { definitions: [{ term: 'AI-systeem', definition: 'Een machinaal systeem dat uit invoer afleidt hoe het uitvoer genereert.' }] },
        labelMap: { groups: { Rol: 'rol-ai-act' }, labels: { aanbieder: 'aanbieder' } },
        overviewUrl: '../../vereisten/',
        conclusionUrls: { c: '../../vereisten/?conclusie=c' },
      });
      root.append(data);
      document.querySelector('.kader-decide').after(root);
      const s = document.createElement('script');
      s.src = document.querySelector('script[src$="kader-classify.js"]').src;
      document.body.append(s);
    }, await page.locator('.kader-decide').first().getAttribute('data-wasm'));
    await page.waitForSelector('#tweede[data-kader-decide-ready]');
    assert.equal(await page.locator('.kader-decide[data-kader-decide-ready]').count(), 2, 'the first widget is not booted twice');
    const term = page.locator('#tweede .kd-term');
    assert.equal(await term.innerText(), 'AI-systeem');
    const tip = page.locator(`#${await term.getAttribute('aria-describedby')}`);
    assert.equal(await tip.getAttribute('role'), 'tooltip');
    await term.focus();
    assert.equal(await tip.isVisible(), true);
    await page.keyboard.press('Escape');
    assert.equal(await tip.isVisible(), false);
    await assertAxe(page, 'tooltip');
    // The conclusion links to the overview with the profile, and to its page.
    await page.locator('#tweede .kd-option').click();
    await page.locator('#tweede button[type=submit]').click();
    await page.waitForSelector('#tweede .kd-conclusion');
    assert.equal(await page.locator('#tweede .kd-primary-link').getAttribute('href'), '../../vereisten/?rol-ai-act=aanbieder');
    assert.equal(await page.locator('#tweede .kd-links a').nth(1).getAttribute('href'), '../../vereisten/?conclusie=c');
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('en: the English page works in English', { timeout: 60_000 }, async () => {
  const p = await openPage(browser, site.at(PAGE.en), { fresh: true });
  const { page } = p;
  try {
    await ready(page);
    assert.match(await questionText(page), /^Question 1/i);
    await choose(page, 'No');
    assert.equal(await page.locator('.kd-conclusion').getAttribute('data-conclusion-id'), 'c-geen-gpai');
    assert.match(await page.locator('.kd-conclusion .kd-title').innerText(), /not a general-purpose AI model/);
    assert.match(await status(page), /^Outcome: /);
    assert.equal(await page.locator('[data-kd-back]').innerText(), 'Previous question');
    await shoot(page, 'en-conclusion', 1366);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('without JavaScript the questions and conclusions are readable and linked', { timeout: 60_000 }, async () => {
  const p = await openPage(browser, site.at(PAGE.nl), { fresh: true, javaScript: false });
  const { page } = p;
  try {
    const fallback = page.locator('.kader-decide-fallback');
    assert.equal(await fallback.isVisible(), true);
    assert.ok((await fallback.locator('section').count()) >= 8);
    const link = fallback.locator('a[href="#vraag-2-0"]').first();
    await link.click();
    assert.match(page.url(), /#vraag-2-0$/);
    // A conclusion in the fallback links to its own page.
    const conclusion = page.locator('#conclusie-c-systeemrisico-vermoeden');
    assert.match(await conclusion.innerText(), /binnen twee weken/);
    assert.equal(
      await conclusion.locator('h4 a').getAttribute('href'),
      new URL('beslishulp/gpai/c-systeemrisico-vermoeden/', site.url).pathname,
    );
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('under the sub-path /kennisbank/ the widget loads and links stay inside', { timeout: 60_000 }, async () => {
  const p = await openPage(browser, sub.at(PAGE.nl), { fresh: true });
  const { page } = p;
  try {
    await ready(page);
    await page.goto(sub.at(`${PAGE.nl}?a=0_0_v3e25_1`));
    await ready(page);
    const hrefs = await page.locator('.kd-pages a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length > 0);
    for (const h of hrefs) assert.match(h, /^\/kennisbank\/vereisten\//);
    p.assertClean();
  } finally {
    await p.close();
  }
});
