// One page of every template, in both languages. Paths are relative to the
// site's base URL. `status` is the expected HTTP status of the document.
// A page missing from the build fails its tests. `optional` pages may be
// skipped instead, but only where KADER_ALLOW_SKIP names `pages` (see
// lib/skip.mjs): `optional: true` for features other engineers are still
// adding, `optional: ['en']` for pages whose English translation may be
// missing (kader emits no /en/ page for an untranslated page; the language
// switch then links to the English home page instead).

import assert from 'node:assert/strict';
import { inBuild } from './site.mjs';
import { missing, notice, failure, skipAllowed } from './skip.mjs';

export const TEMPLATES = [
  { name: 'home', nl: '', en: 'en/' },
  {
    name: 'vereiste',
    nl: 'vereisten/aia-gpai-modelevaluatie-systeemrisico/',
    en: 'en/vereisten/aia-gpai-modelevaluatie-systeemrisico/',
  },
  {
    name: 'maatregel',
    nl: 'maatregelen/2-owp-dpia-uitvoeren/',
    en: 'en/maatregelen/2-owp-dpia-uitvoeren/',
    optional: ['en'],
  },
  { name: 'hulpmiddel', nl: 'hulpmiddelen/dpia-model/', en: 'en/hulpmiddelen/dpia-model/', optional: ['en'] },
  { name: 'overview-vereisten', nl: 'vereisten/', en: 'en/vereisten/' },
  { name: 'overview-maatregelen', nl: 'maatregelen/', en: 'en/maatregelen/' },
  { name: 'taxonomy', nl: 'levenscyclus/', en: 'en/levenscyclus/' },
  { name: 'term', nl: 'levenscyclus/ontwikkelen/', en: 'en/levenscyclus/ontwikkelen/' },
  { name: 'page', nl: 'over/', en: 'en/over/', optional: ['en'] },
  { name: 'definitions', nl: 'ai-verordening/a3/', en: 'en/ai-verordening/a3/' },
  { name: 'recital', nl: 'ai-verordening/overweging-112/', en: 'en/ai-verordening/overweging-112/' },
  { name: 'classifier', nl: 'ai-verordening/gpai-classificatie/', en: 'en/ai-verordening/gpai-classificatie/' },
  // The AI-Act decision aid (templates/tree.html), one of its conclusion
  // pages (conclusion.html) and "Vereisten voor jou" (profile.html).
  { name: 'decision-aid', nl: 'beslishulp/ai-verordening/', en: 'en/beslishulp/ai-verordening/' },
  { name: 'conclusion', nl: 'beslishulp/ai-verordening/12-4/', en: 'en/beslishulp/ai-verordening/12-4/' },
  { name: 'profile', nl: 'vereisten-voor-jou/', en: 'en/vereisten-voor-jou/' },
  { name: '404', nl: 'bestaat-niet/', en: 'en/does-not-exist/', status: 404 },
];

export const LANGS = ['nl', 'en'];

/** Flattened [{ name, lang, path, status, optional, id }] */
export function pageList(filter = () => true) {
  const out = [];
  for (const t of TEMPLATES) {
    if (!filter(t)) continue;
    for (const lang of LANGS) {
      if (t[lang] == null) continue;
      out.push({
        name: t.name,
        lang,
        path: t[lang],
        status: t.status || 200,
        optional: t.optional === true || (Array.isArray(t.optional) && t.optional.includes(lang)),
        id: `${t.name}-${lang}`,
      });
    }
  }
  return out;
}

/**
 * Whether test `t` of page `pg` must stop because the page is not in the
 * build at `dir`: only an optional page, and only where KADER_ALLOW_SKIP
 * names `pages` (the test is then skipped with a NOTICE). Otherwise a
 * missing optional page fails here, and any other page fails when the test
 * opens it.
 */
export function skipMissingPage(t, dir, pg) {
  if (!pg.optional || inBuild(dir, pg.path)) return false;
  return missing(t, 'pages', absentText(pg), FIX);
}

/**
 * The pages of `list` that are in the build at `dir`, for a test that covers
 * many pages at once. A page that is not there fails the test, unless it is
 * optional and KADER_ALLOW_SKIP names `pages`: then it is left out with a
 * NOTICE and the others are tested.
 */
export function pagesInBuild(t, dir, list) {
  const absent = list.filter((pg) => !inBuild(dir, pg.path));
  const excused = absent.filter((pg) => pg.optional && skipAllowed('pages'));
  for (const pg of excused) notice(t, 'pages', absentText(pg));
  const failing = absent.filter((pg) => !excused.includes(pg));
  assert.equal(failing.length, 0, failure('pages', failing.map(absentText).join('; '), FIX));
  return list.filter((pg) => !absent.includes(pg));
}

const FIX =
  'Add the page to content/ (an English page: a translation `<name>.en.md` beside the Dutch one), or take it out of tests/browser/lib/pages.mjs.';

function absentText(pg) {
  return `/${pg.path} (${pg.name}, ${pg.lang}) is not in the build`;
}
