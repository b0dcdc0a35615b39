// One page of every template, in both languages. Paths are relative to the
// site's base URL. `status` is the expected HTTP status of the document.
// `optional` pages are skipped (not failed) while they are not in the build:
// `optional: true` for features other engineers are still adding,
// `optional: ['en']` for pages whose English translation does not exist yet
// (kader emits no /en/ page for an untranslated page; the language switch
// then links to the English home page instead).

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
