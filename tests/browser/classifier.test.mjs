// The GPAI classification aid (<!-- gpai_classifier -->, static/kader-classify.*)
// on /ai-verordening/gpai-classificatie/ under the site's CSP: clicking and
// keyboard walks to a systemic-risk conclusion, the trace, deadlines and
// requirement links, the compute estimator and its scale, English, the
// sub-path build, no JavaScript, axe mid-flow and at the conclusion,
// screenshots, and the performance marks (the time from `load` to the first
// rendered question is measured by scripts/bench-classifier).
//
//   bash tests/browser/run.sh classifier

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, openPage, tabTo, describeFocus } from './lib/browser.mjs';
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

const widget = (page) => page.locator('[data-classifier]');

async function ready(page) {
  await page.waitForSelector('[data-classifier-ready]', { timeout: 10_000 });
}

/** The visible question's heading text. */
async function questionText(page) {
  return (await page.locator('.classifier-question-title').innerText()).trim();
}

/** Choose the answer whose text starts with `prefix` and go on (mouse). */
async function choose(page, prefix) {
  const before = await page.locator('form.classifier-question').getAttribute('data-question-id');
  const label = page.locator('.classifier-option').filter({ hasText: new RegExp(`^\\s*${escapeRe(prefix)}`) }).first();
  await label.click();
  await page.locator('form.classifier-question button[type=submit]').click();
  await waitForStep(page, before);
}

async function enterCompute(page, value) {
  const before = await page.locator('form.classifier-question').getAttribute('data-question-id');
  await page.locator('form.classifier-question input[name=value]').fill(value);
  await page.locator('form.classifier-question button[type=submit]').click();
  await waitForStep(page, before);
}

async function waitForStep(page, before) {
  await page.waitForFunction(
    (b) => {
      const f = document.querySelector('form.classifier-question');
      return !f || f.getAttribute('data-question-id') !== b;
    },
    before,
    { timeout: 5_000 },
  );
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
}

async function assertAxe(page, where) {
  const violations = await runAxe(page);
  assert.equal(violations.length, 0, formatViolations(violations, where));
}

// ------------------------------------------------------------------ tests

// How soon it works is a figure of scripts/bench-classifier
// (bench/classifier.bench.mjs), not an assertion: here, that a fresh load
// ends with a working widget and sets the performance marks the benchmark
// reads.
test('a fresh load sets the first-question and interactive marks', { timeout: 90_000 }, async () => {
  const s = await classifierLoad(browser, site.at(PAGE.nl));
  assert.ok(Number.isFinite(s.firstQuestion), 'no performance mark kader-classify:first-question after the load event');
  assert.ok(Number.isFinite(s.interactive), 'no performance mark kader-classify:interactive after the load event');
});

test('nl, mouse: to systemic risk (presumed), trace, deadline, requirement links; axe and screenshots', { timeout: 120_000 }, async () => {
  const p = await openPage(browser, site.at(PAGE.nl), { fresh: true });
  const { page } = p;
  try {
    await ready(page);
    assert.equal(await page.locator('[data-classifier-static]').isVisible(), false, 'the static rendering is hidden');
    assert.match(await questionText(page), /^Gaat het om een AI-model voor algemene doeleinden/);
    await choose(page, 'Ja');
    await choose(page, 'Aanbieder');
    assert.match(await questionText(page), /rekenkracht/);
    await page.waitForSelector('[data-classifier-interactive]');
    // Mid-flow: the compute question with a value, the formula and the scale.
    await page.locator('form.classifier-question input[name=value]').fill('3e25');
    await page.waitForSelector('.classifier-estimate .classifier-formula');
    assert.match(await page.locator('.classifier-estimate').innerText(), /3,0 × 10\^25 FLOP/);
    assert.match(await page.locator('.classifier-scale-text').innerText(), /boven de drempel voor systeemrisico/);
    assert.match(await page.locator('.classifier-range-current').innerText(), /Meer dan 10\^25 FLOP/);
    await assertAxe(page, 'compute question');
    for (const w of [1280, 390]) await shoot(page, 'nl-midflow', w);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('form.classifier-question button[type=submit]').click();
    await waitForStep(page, '3.0');
    await choose(page, 'Nee');

    const result = page.locator('.classifier-result');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-conclusion-id'), 'c-systeemrisico-vermoeden');
    assert.match(await page.locator('.classifier-result-title').innerText(), /met systeemrisico \(vermoeden\)/);
    assert.equal(await page.locator('.classifier-agree').count(), 1, 'the rules agree with the tree');
    const trace = page.locator('.classifier-trace li');
    const steps = await trace.allInnerTexts();
    assert.ok(steps.some((s) => s.startsWith('art. 51(2)') && /groter dan 10\^25 FLOP/.test(s) && /gelijk aan of groter dan/.test(s)), `trace lacks art. 51(2):\n${steps.join('\n')}`);
    assert.ok(steps.every((s) => /^(art\.|richtsnoeren|bijlage)/.test(s)), 'every trace step cites its provision');
    const obligations = await page.locator('[data-obligation]').allInnerTexts();
    for (const a of ['art. 53(1)(a)', 'art. 55(1)(a)', 'art. 55(1)(d)']) assert.ok(obligations.some((o) => o.startsWith(a)), a);
    const labels = await page.locator('.classifier-labels [data-label]').evaluateAll((es) => es.map((e) => e.dataset.label));
    assert.deepEqual(labels, ['ai-model-voor-algemene-doeleinden', 'aanbieder', 'systeemrisico', 'geen-open-source']);

    // Deadline: notification within two weeks.
    const date = page.locator('.classifier-deadlines input[type=date]');
    await date.fill('2025-08-29');
    await page.waitForSelector('[data-deadline="notificationDeadline"]');
    assert.equal(await page.locator('[data-deadline="notificationDeadline"]').innerText(), '12 september 2025');
    assert.ok((await trace.allInnerTexts()).some((s) => s.startsWith('art. 52(1)') && s.includes('12 september 2025')));

    // Links to exactly the requirements that apply.
    const hrefs = await page.locator('.classifier-requirements a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length >= 2, `requirement links: ${hrefs}`);
    const want = new URL(REQUIREMENT, site.url).pathname;
    assert.ok(hrefs.includes(want), `no link to ${want} among ${hrefs.join(', ')}`);
    for (const h of hrefs) assert.match(h, /\/vereisten\//);
    await assertAxe(page, 'conclusion');
    for (const w of [1280, 390]) await shoot(page, 'nl-conclusion', w);
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.locator(`.classifier-requirements a[href="${want}"]`).click();
    await page.waitForURL(new URL(want, site.url).href);
    assert.match(await page.locator('h1').first().innerText(), /geëvalueerd|evaluat/i);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('nl, keyboard only: focus follows the questions; back and restart', { timeout: 90_000 }, async () => {
  const p = await openPage(browser, site.at(PAGE.nl), { fresh: true });
  const { page } = p;
  const focused = () => page.evaluate(() => document.activeElement?.className || document.activeElement?.tagName);
  try {
    await page.waitForSelector('[data-classifier-interactive]');
    // Into the first question's radio group, choose "Ja" (the first), Enter submits.
    await tabTo(page, 'input[type=radio][name^="classifier-a-"]');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('classifier-question-title'));
    assert.match(await page.evaluate(() => document.activeElement.textContent), /rol/, 'focus moves to the next question');
    // "Aanbieder" is the first answer.
    await page.keyboard.press('Tab');
    assert.match(await describeFocus(page), /^input/, `after Tab: ${await describeFocus(page)}`);
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('classifier-question-title') && /rekenkracht/.test(document.activeElement.textContent));
    // The compute question: Tab to the field (past the method radio group).
    await tabTo(page, 'input[name=value]');
    await page.keyboard.type('3e25');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('classifier-question-title') && /opensource/.test(document.activeElement.textContent));
    // "Nee": the second radio. Tab into the group, arrow down selects it.
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.closest('label')?.textContent.trim()), 'Nee');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('classifier-result-title'));
    assert.equal(await page.locator('.classifier-result').getAttribute('data-conclusion-id'), 'c-systeemrisico-vermoeden');
    // The status is announced a moment after the outcome is shown.
    await page.waitForFunction(() => /Uitkomst/.test(document.querySelector('[data-classifier] [role=status]')?.textContent || ''));
    assert.match(await page.locator('[data-classifier] [role=status]').innerText(), /Uitkomst: .*systeemrisico/);
    // Back to the previous question, with the previous answer still chosen.
    await tabTo(page, '[data-classifier-back]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('classifier-question-title'));
    assert.match(await questionText(page), /opensource/);
    assert.equal(await page.locator('input[type=radio]:checked').evaluate((i) => i.closest('label').textContent.trim()), 'Nee');
    // Restart.
    await tabTo(page, '[data-classifier-restart]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.classList.contains('classifier-question-title'));
    assert.match(await questionText(page), /^Gaat het om/);
    assert.equal(await page.locator('[data-classifier-back]').isDisabled(), true);
    // Submitting without a choice says so and keeps focus in the question.
    await tabTo(page, 'form.classifier-question button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.classifier-error:not([hidden])');
    assert.match(await page.locator('.classifier-error:not([hidden])').innerText(), /Kies een antwoord/);
    assert.match(String(await focused()), /INPUT|^$/i);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('the estimator: 6·N·D, hardware, garbage rejected with a clear message', { timeout: 60_000 }, async () => {
  const p = await openPage(browser, site.at(PAGE.nl), { fresh: true });
  const { page } = p;
  try {
    await page.waitForSelector('[data-classifier-interactive]');
    await choose(page, 'Ja');
    await choose(page, 'Gebruiks');
    // Garbage.
    await page.locator('input[name=value]').fill('twaalf');
    await page.locator('form.classifier-question button[type=submit]').click();
    const err = page.locator('form.classifier-question .classifier-error:not([hidden])');
    await err.waitFor();
    assert.match(await err.innerText(), /Onverwacht teken ‘t’ op positie 1/);
    assert.equal(await page.locator('input[name=value]').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.name), 'value', 'focus on the field in error');
    // Parameters × tokens.
    await page.locator('label.classifier-option').filter({ hasText: '6 · N · D' }).click();
    await page.locator('input[name=parameters]').fill('7e10');
    await page.locator('input[name=tokens]').fill('1,5 × 10^12');
    await page.waitForFunction(() => /6 × 7,0 × 10\^10 × 1,5 × 10\^12 = 6,3 × 10\^23 FLOP/.test(document.querySelector('.classifier-estimate')?.textContent || ''));
    const svg = page.locator('.classifier-scale svg');
    assert.equal(await svg.getAttribute('role'), 'img');
    const title = await svg.evaluate((s) => document.getElementById(s.getAttribute('aria-labelledby'))?.textContent);
    assert.match(title, /6,3 × 10\^23 FLOP/);
    assert.match(await page.locator('.classifier-scale-text').innerText(), /meer dan 10\^23 en niet meer dan 10\^25 FLOP/);
    // Hardware.
    await page.locator('label.classifier-option').filter({ hasText: 'hardware' }).click();
    await page.locator('input[name=count]').fill('25000');
    await page.locator('input[name=hours]').fill('2400');
    await page.locator('input[name=peakFlops]').fill('9,89e14');
    await page.locator('input[name=utilisation]').fill('40%');
    await page.waitForFunction(() => /25000 × 2400 u × 3600 s\/u × 9,9 × 10\^14 FLOP\/s × 0,4 = 8,5 × 10\^25 FLOP/.test(document.querySelector('.classifier-estimate')?.textContent || ''));
    await page.locator('input[name=utilisation]').fill('1,5');
    await page.locator('form.classifier-question button[type=submit]').click();
    await page.waitForFunction(() => document.querySelector('input[name=utilisation]')?.getAttribute('aria-invalid') === 'true');
    await page.locator('input[name=utilisation]').fill('0,4');
    await page.locator('form.classifier-question button[type=submit]').click();
    await waitForStep(page, '3.0');
    await choose(page, 'Nee');
    assert.equal(await page.locator('.classifier-result').getAttribute('data-conclusion-id'), 'c-systeemrisico-vermoeden');
    assert.match(await page.locator('.classifier-history').innerText(), /25000 × 2400 u/);
    // A deployer: the requirements are the provider's.
    assert.match(await page.locator('.classifier-result').innerText(), /rusten op de aanbieder/);
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
    assert.match(await questionText(page), /^Is it a general-purpose AI model/);
    assert.equal(await page.locator('form.classifier-question button[type=submit]').innerText(), 'Next');
    await page.waitForSelector('[data-classifier-interactive]');
    await choose(page, 'Yes');
    await choose(page, 'Provider');
    assert.match(await page.locator('.classifier-methods legend').innerText(), /How do you want to give the compute/);
    await enterCompute(page, '1.2 × 10^26');
    await choose(page, 'No');
    assert.match(await page.locator('.classifier-result-title').innerText(), /^General-purpose AI model with systemic risk \(presumed\)$/);
    assert.match(await page.locator('.classifier-trace').innerText(), /art\. 51\(2\) The training compute \(1\.2 × 10\^26 FLOP\) is greater than 10\^25 FLOP/);
    assert.match(await page.locator('[data-classifier-back]').innerText(), /Previous question/);
    const hrefs = await page.locator('.classifier-requirements a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    // Translated requirements link to their English page (untranslated ones
    // may fall back to the Dutch page).
    const want = new URL(`en/${REQUIREMENT}`, site.url).pathname;
    assert.ok(hrefs.includes(want), `no link to ${want} among ${hrefs.join(', ')}`);
    for (const h of hrefs) assert.match(h, /\/vereisten\//);
    for (const w of [1280, 390]) await shoot(page, 'en-conclusion', w);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('other conclusions: may be designated (with reasons), designated (reassessment date)', { timeout: 60_000 }, async () => {
  const p = await openPage(browser, site.at(PAGE.nl), { fresh: true });
  const { page } = p;
  try {
    await page.waitForSelector('[data-classifier-interactive]');
    await choose(page, 'Ja');
    await choose(page, 'Aanbieder');
    await enterCompute(page, '1,2 × 10^24');
    await choose(page, 'Nee');
    await choose(page, 'Nee');
    await choose(page, 'Ja, 10 000');
    assert.equal(await page.locator('.classifier-result').getAttribute('data-conclusion-id'), 'c-kan-worden-aangewezen');
    assert.match(await page.locator('.classifier-callout').innerText(), /kan dit model aanwijzen[\s\S]*bijlage XIII, punt f/);
    await page.locator('[data-annex="benchmarks"]').check();
    await page.waitForFunction(() => /punt e/.test(document.querySelector('.classifier-callout')?.textContent || ''));
    await assertAxe(page, 'may be designated');
    for (const w of [1280, 390]) await shoot(page, 'nl-may-be-designated', w);
    await page.setViewportSize({ width: 1280, height: 800 });
    // Back three steps and say the Commission designated it.
    await page.locator('[data-classifier-back]').click();
    await page.locator('[data-classifier-back]').click();
    await choose(page, 'Ja');
    assert.equal(await page.locator('.classifier-result').getAttribute('data-conclusion-id'), 'c-systeemrisico-aangewezen');
    await page.locator('.classifier-deadlines input[type=date]').fill('2025-08-31');
    await page.waitForSelector('[data-deadline="earliestReassessment"]');
    assert.equal(await page.locator('[data-deadline="earliestReassessment"]').innerText(), '28 februari 2026');
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('without JavaScript the questions and conclusions are readable and linked', { timeout: 60_000 }, async () => {
  const p = await openPage(browser, site.at(PAGE.nl), { javaScript: false, fresh: true });
  const { page } = p;
  try {
    const st = page.locator('[data-classifier-static]');
    assert.equal(await st.isVisible(), true);
    assert.equal(await page.locator('[data-classifier-app]').isVisible(), false);
    const questions = page.locator('.classifier-static-question');
    assert.equal(await questions.count(), 8);
    assert.equal(await page.locator('.classifier-static-conclusion').count(), 6);
    assert.match(await page.locator('#gpai-vraag-1\\.0').innerText(), /Gaat het om een AI-model voor algemene doeleinden[\s\S]*Weet ik niet/);
    assert.match(await page.locator('#gpai-vraag-3\\.0').innerText(), /Meer dan 10\^25 FLOP/);
    assert.match(await page.locator('#gpai-c-systeemrisico-vermoeden').innerText(), /binnen twee weken/);
    // Every in-page link names an element of the page.
    const targets = await st.locator('a[href^="#"]').evaluateAll((as) => as.map((a) => a.getAttribute('href').slice(1)));
    assert.ok(targets.length > 10);
    for (const id of new Set(targets)) assert.equal(await page.locator(`[id="${id}"]`).count(), 1, `#${id} does not exist`);
    await page.locator('#gpai-vraag-1\\.0 a[href="#gpai-c-geen-gpai"]').click();
    assert.match(page.url(), /#gpai-c-geen-gpai$/);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'classifier-nl-nojs-1280.png'), fullPage: true, animations: 'disabled', caret: 'hide', scale: 'css' });
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('under the sub-path /kennisbank/ the widget loads and links stay inside', { timeout: 60_000 }, async () => {
  const p = await openPage(browser, sub.at(PAGE.nl), { fresh: true });
  const { page } = p;
  try {
    await page.waitForSelector('[data-classifier-interactive]');
    await choose(page, 'Ja');
    await choose(page, 'Aanbieder');
    await enterCompute(page, '3e25');
    await choose(page, 'Ja');
    const hrefs = await page.locator('.classifier-requirements a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length > 0);
    for (const h of hrefs) assert.ok(h.startsWith(sub.mount), `${h} is outside ${sub.mount}`);
    assert.ok(hrefs.includes(`${sub.mount}${REQUIREMENT}`));
    p.assertClean();
  } finally {
    await p.close();
  }
});
