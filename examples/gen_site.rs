//! Generates a synthetic knowledge base for benchmarks and tests:
//! `cargo run --release --example gen_site -- <pages> <dir> [seed]`.
//!
//! The site uses the bundled site.toml and has requirements (a tenth of the
//! pages), measures (the rest) naming them, a definitions page with block
//! ids, realistic Dutch sentences, front matter with terms, directives,
//! tabs, admonitions, definition links and cross-links. The same seed gives
//! the same site.

use std::fmt::Write;
use std::path::Path;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn some<'a>(&mut self, items: &[&'a str], max: usize) -> Vec<&'a str> {
        let n = 1 + self.below(max);
        let mut out: Vec<&str> = Vec::new();
        for _ in 0..n {
            let x = self.pick(items);
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }
}

const SUBJECTS: &[&str] = &[
    "De organisatie",
    "Het projectteam",
    "De aanbieder",
    "De gebruiksverantwoordelijke",
    "Het algoritme",
    "De ontwikkelaar",
    "De functionaris gegevensbescherming",
    "Het AI-systeem",
    "De opdrachtgever",
    "Het bestuur",
];
const VERBS: &[&str] = &[
    "documenteert",
    "beoordeelt",
    "controleert",
    "beschrijft",
    "evalueert",
    "registreert",
    "toetst",
    "bewaakt",
    "verantwoordt",
    "publiceert",
    "analyseert",
    "verbetert",
];
const OBJECTS: &[&str] = &[
    "de risico’s voor betrokkenen",
    "het risicobeheersysteem",
    "de datakwaliteit",
    "de gegevensbescherming",
    "de menselijke controle",
    "de systeemrisico’s van het model",
    "de technische documentatie",
    "de uitlegbaarheid van de uitkomsten",
    "de werking van het algoritme",
    "het energieverbruik",
    "de bewaartermijnen",
    "de afspraken met de leverancier",
    "de toegang tot persoonsgegevens",
    "de gevolgen voor grondrechten",
    "de incidentenregistratie",
];
const TAILS: &[&str] = &[
    "voordat het systeem in gebruik wordt genomen",
    "bij elke wezenlijke wijziging",
    "minstens eenmaal per jaar",
    "in overleg met de betrokken teams",
    "volgens de stand van de techniek",
    "en legt de keuzes vast",
    "zodat burgers de besluiten kunnen begrijpen",
    "met aandacht voor kwetsbare groepen",
];
const PHASES: &[&str] = &[
    "organisatieverantwoordelijkheden",
    "probleemanalyse",
    "ontwerp",
    "dataverkenning-en-datapreparatie",
    "ontwikkelen",
    "verificatie-en-validatie",
    "implementatie",
    "monitoring-en-beheer",
    "uitfaseren",
];
const BLOCKS: &[&str] = &[
    "governance",
    "publieke-inkoop",
    "privacy-en-gegevensbescherming",
    "transparantie",
    "bias-en-non-discriminatie",
    "data",
    "technische-robuustheid-en-veiligheid",
    "menselijke-controle",
    "fundamentele-rechten",
    "duurzaamheid",
];
const ROLES: &[&str] = &[
    "projectleider",
    "beleid-en-advies",
    "jurist",
    "ontwikkelaar",
];
const DEFS: &[(&str, &str)] = &[
    ("sysrisk", "Systeemrisico"),
    ("gpai", "AI-model voor algemene doeleinden"),
    ("aanbieder", "Aanbieder"),
    ("aibur", "AI-bureau"),
    ("flop", "Zwevendekommabewerking"),
];

fn sentence(r: &mut Rng) -> String {
    format!(
        "{} {} {} {}.",
        r.pick(SUBJECTS),
        r.pick(VERBS),
        r.pick(OBJECTS),
        r.pick(TAILS)
    )
}

fn paragraph(r: &mut Rng, sentences: usize) -> String {
    (0..sentences)
        .map(|_| sentence(r))
        .collect::<Vec<_>>()
        .join(" ")
}

fn list(items: &[&str]) -> String {
    items.iter().map(|i| format!("- {i}\n")).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pages: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let dir = Path::new(args.get(2).map(String::as_str).unwrap_or("gen-site"));
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(42);
    generate(pages, dir, seed);
    println!("generated {pages} pages in {}", dir.display());
}

/// The bundled site.toml for the generated site: one language, no glossary,
/// and only the menus and footer links whose pages the generator writes.
fn site_toml() -> String {
    let mut config: toml::Table = include_str!("../site.toml").parse().unwrap();
    config.remove("glossary");
    if let Some(toml::Value::Table(langs)) = config.get_mut("languages") {
        langs.remove("en");
    }
    let generated = |link: &str| !(link.starts_with("ai-verordening") || link.starts_with("over"));
    for key in ["menu", "footer"] {
        if let Some(toml::Value::Array(entries)) = config.get_mut(key) {
            entries.retain(|e| {
                e.get("link")
                    .and_then(|l| l.as_str())
                    .is_some_and(generated)
            });
        }
    }
    toml::to_string(&config).unwrap()
}

fn generate(pages: usize, dir: &Path, seed: u64) {
    let mut r = Rng(seed.wrapping_mul(2_685_821_657_736_338_717) | 1);
    let content = dir.join("content");
    for sub in ["vereisten", "maatregelen", "begrippen"] {
        std::fs::create_dir_all(content.join(sub)).unwrap();
    }
    std::fs::write(dir.join("site.toml"), site_toml()).unwrap();
    std::fs::write(
        content.join("index.md"),
        "---\ntitle: Kennisbank\ntemplate: home.html\n---\n\nEen gegenereerde kennisbank.\n",
    )
    .unwrap();
    let mut defs = String::from("---\ntitle: Begrippen\n---\n\n");
    for (id, term) in DEFS {
        let _ = writeln!(defs, "- **{term}**: {} ^{id}", paragraph(&mut r, 2));
    }
    std::fs::write(content.join("begrippen/a3.md"), defs).unwrap();

    let n_req = (pages / 10).max(1);
    let n_mtr = pages.saturating_sub(n_req + 2).max(1);
    let req_slug = |i: usize| format!("ver-{i:06}");
    let mut req_blocks: Vec<Vec<&str>> = Vec::new();
    for i in 0..n_req {
        let phases = r.some(PHASES, 3);
        let blocks = r.some(BLOCKS, 2);
        let roles = r.some(ROLES, 2);
        let (def_id, def_term) = DEFS[r.below(DEFS.len())];
        let mut t = String::new();
        let _ = write!(
            t,
            "---\ntitle: \"{} {}\"\nid: urn:nl:gen:ver:{i}\ntoelichting: \"{}\"\nstatus_vereiste:\n- geldend\nlevenscyclus:\n{}bouwblok:\n{}rollen:\n{}---\n\n<!-- tags -->\n\n## Vereiste\n\n{}\n\n## Toelichting\n\n{} Zie ook het begrip [{}](../begrippen/a3.md#^{def_id}) en [een andere vereiste]({}.md#toelichting).\n\n!!! tip \"Praktijk\"\n    {}\n\n## Maatregelen\n\n=== \"Allen\"\n\t<!-- list_maatregelen vereiste/{} -->\n",
            r.pick(SUBJECTS),
            r.pick(OBJECTS),
            sentence(&mut r),
            list(&phases),
            list(&blocks),
            list(&roles),
            paragraph(&mut r, 2),
            paragraph(&mut r, 4),
            def_term.to_lowercase(),
            req_slug((i + 1) % n_req),
            paragraph(&mut r, 2),
            req_slug(i),
        );
        std::fs::write(content.join(format!("vereisten/{}.md", req_slug(i))), t).unwrap();
        req_blocks.push(blocks);
    }
    for i in 0..n_mtr {
        // Every requirement is named by at least one measure.
        let first = i % n_req;
        let mut reqs = vec![req_slug(first)];
        let extra = r.below(n_req);
        if extra != first {
            reqs.push(req_slug(extra));
        }
        let phases = r.some(PHASES, 2);
        let blocks: Vec<&str> = req_blocks[first].clone();
        let roles = r.some(ROLES, 2);
        let mut t = String::new();
        let _ = write!(
            t,
            "---\ntitle: \"{} {} {}\"\nid: urn:nl:gen:mtr:{i}\ntoelichting: \"{}\"\nvereiste:\n{}levenscyclus:\n{}bouwblok:\n{}rollen:\n{}---\n\n<!-- tags -->\n\n## Maatregel\n\n{}\n\n## Toelichting\n\n{}\n\n| Stap | Wie |\n|------|-----|\n| Voorbereiden | {} |\n| Uitvoeren | {} |\n\n## Bijbehorende vereisten\n\n<!-- list_vereisten_on_maatregelen_page -->\n",
            r.pick(VERBS),
            r.pick(OBJECTS),
            r.pick(TAILS),
            sentence(&mut r),
            list(&reqs.iter().map(String::as_str).collect::<Vec<_>>()),
            list(&phases),
            list(&blocks),
            list(&roles),
            paragraph(&mut r, 2),
            paragraph(&mut r, 5),
            r.pick(ROLES),
            r.pick(ROLES),
        );
        std::fs::write(content.join(format!("maatregelen/mtr-{i:06}.md")), t).unwrap();
    }
}
