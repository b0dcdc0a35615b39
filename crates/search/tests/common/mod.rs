//! A small Dutch test corpus about AI regulation (fake pages).
#![allow(dead_code)]

use kader_search::{BuiltIndex, IndexBuilder, Language, PageInput, Searcher, Section};

pub fn section(heading: &str, anchor: &str, text: &str) -> Section {
    Section {
        heading: heading.into(),
        anchor: anchor.into(),
        text: text.into(),
    }
}

pub fn page(url: &str, title: &str, sections: Vec<Section>, boost: &[&str]) -> PageInput {
    PageInput {
        url: url.into(),
        title: title.into(),
        sections,
        boost_terms: boost.iter().map(|s| s.to_string()).collect(),
    }
}

pub const P_SYSTEEMRISICO: u32 = 0;
pub const P_RISICO: u32 = 1;
pub const P_RISICOBEHEER: u32 = 2;
pub const P_MODELEVALUATIE: u32 = 3;
pub const P_AI_BUREAU: u32 = 4;
pub const P_GEGEVENS: u32 = 5;
pub const P_ALGORITMEREGISTER: u32 = 6;
pub const P_COOPERATIE: u32 = 7;
pub const P_CONFORMITEIT: u32 = 8;
pub const P_TRANSPARANTIE: u32 = 9;
pub const P_MENSELIJK_TOEZICHT: u32 = 10;
pub const P_REKENKRACHT: u32 = 11;
pub const P_LOGGING: u32 = 12;
pub const P_INCIDENTEN: u32 = 13;
pub const P_EVALUATIEPRAKTIJK: u32 = 14;

pub fn corpus() -> Vec<PageInput> {
    vec![
        page(
            "/begrippen/systeemrisico/",
            "Systeemrisico",
            vec![
                section(
                    "Definitie",
                    "definitie",
                    "Een systeemrisico is een risico dat specifiek is voor de capaciteiten met een grote \
                     impact van AI-modellen voor algemene doeleinden, en dat aanzienlijke gevolgen heeft \
                     voor de markt van de Unie.",
                ),
                section(
                    "Toelichting",
                    "toelichting",
                    "Modellen met systeemrisico’s vallen onder extra verplichtingen, zoals modelevaluatie \
                     en het melden van ernstige incidenten.",
                ),
            ],
            &["systeemrisico"],
        ),
        page(
            "/begrippen/risico/",
            "Risico",
            vec![section(
                "Definitie",
                "definitie",
                "Risico: de combinatie van de kans op schade en de ernst van die schade.",
            )],
            &["risico"],
        ),
        page(
            "/eisen/risicobeheersysteem/",
            "Risicobeheersysteem voor AI-systemen met een hoog risico",
            vec![
                section(
                    "Eis",
                    "eis",
                    "Er wordt een risicobeheersysteem vastgesteld, uitgevoerd, gedocumenteerd en in stand \
                     gehouden. Het omvat een risicobeoordeling die gedurende de hele levenscyclus wordt \
                     herhaald.",
                ),
                section(
                    "Beheer",
                    "beheer",
                    "Het beheer van het systeem is een doorlopend proces dat regelmatig wordt geactualiseerd.",
                ),
            ],
            &["risicobeheersysteem"],
        ),
        page(
            "/eisen/modelevaluatie/",
            "Evaluatie van modellen",
            vec![section(
                "Verplichting",
                "verplichting",
                "Aanbieders van AI-modellen met een systeemrisico voeren een modelevaluatie uit volgens \
                 gestandaardiseerde protocollen, inclusief adversariële tests.",
            )],
            &["modelevaluatie"],
        ),
        page(
            "/organisatie/ai-bureau/",
            "Het AI-bureau",
            vec![section(
                "Taken",
                "taken",
                "Het AI-bureau van de Europese Commissie houdt toezicht op AI-modellen voor algemene \
                 doeleinden en ondersteunt de nationale autoriteiten.",
            )],
            &[],
        ),
        page(
            "/eisen/gegevensbescherming/",
            "Gegevensbescherming",
            vec![
                section(
                    "Eis",
                    "eis",
                    "De verwerking van persoonsgegevens voldoet aan de regels voor gegevensbescherming. \
                     Gegevens worden niet langer bewaard dan nodig.",
                ),
                section(
                    "Toezicht",
                    "toezicht",
                    "De Autoriteit Persoonsgegevens controleert de naleving.",
                ),
            ],
            &[],
        ),
        page(
            "/eisen/algoritmeregister/",
            "Algoritmeregister",
            vec![section(
                "Eis",
                "eis",
                "Overheidsorganisaties publiceren hun algoritmes met een hoge impact in het \
                 algoritmeregister, zodat burgers kunnen zien welke algoritmes worden gebruikt.",
            )],
            &[],
        ),
        page(
            "/doelgroepen/cooperaties/",
            "Coöperaties en verenigingen",
            vec![section(
                "Toepassing",
                "toepassing",
                "Een coöperatie die een AI-systeem inzet, is gebruiksverantwoordelijke in de zin van de \
                 verordening.",
            )],
            &[],
        ),
        page(
            "/eisen/conformiteitsbeoordeling/",
            "Conformiteitsbeoordeling",
            vec![section(
                "Procedure",
                "procedure",
                "Voor AI-systemen met een hoog risico zijn beoordelingen door een aangemelde instantie \
                 soms verplicht. De aanbieder toont de conformiteit aan.",
            )],
            &[],
        ),
        page(
            "/eisen/transparantie/",
            "Transparantieverplichtingen",
            vec![section(
                "Eis",
                "eis",
                "Gebruikers worden geïnformeerd dat zij met een AI-systeem communiceren. Een beoordeling \
                 van de risico's voor betrokkenen hoort bij de invoering.",
            )],
            &[],
        ),
        page(
            "/eisen/menselijk-toezicht/",
            "Menselijk toezicht",
            vec![
                section(
                    "Eis",
                    "eis",
                    "AI-systemen met een hoog risico worden zo ontworpen dat natuurlijke personen er \
                     doeltreffend op kunnen letten.",
                ),
                section(
                    "Risico's beperken",
                    "risicos-beperken",
                    "Wie het systeem bedient, kan ingrijpen of het systeem stilzetten.",
                ),
            ],
            &[],
        ),
        page(
            "/achtergrond/rekenkracht/",
            "Rekenkracht",
            vec![section(
                "Drempel",
                "drempel",
                "Een model dat is getraind met meer dan 10^25 FLOP's wordt vermoed een systeemrisico te \
                 hebben.",
            )],
            &[],
        ),
        page(
            "/eisen/logging/",
            "Logging",
            vec![section(
                "Eis",
                "eis",
                "Het systeem houdt automatisch een logboek bij. Een beoordelling van de logboeken vindt \
                 periodiek plaats; de bewaartermijn is ten minste zes maanden.",
            )],
            &[],
        ),
        page(
            "/eisen/incidenten/",
            "Ernstige incidenten",
            vec![
                section(
                    "Melding",
                    "melding",
                    "Een incidentmelding gaat onverwijld naar de markttoezichtautoriteit.",
                ),
                section(
                    "Toezicht en handhaving",
                    "toezicht-en-handhaving",
                    "De autoriteit kan een bewaartermijn opleggen voor de gegevens.",
                ),
            ],
            &[],
        ),
        page(
            "/achtergrond/evaluatiepraktijk/",
            "Modelevaluatie in de praktijk",
            vec![section(
                "Praktijk",
                "praktijk",
                "Red-teaming en benchmarks zijn gangbare methoden.",
            )],
            &[],
        ),
    ]
}

pub fn build() -> BuiltIndex {
    build_with(IndexBuilder::new(Language::Nl))
}

pub fn build_with(mut b: IndexBuilder) -> BuiltIndex {
    for p in corpus() {
        b.add_page(p);
    }
    b.build()
}

/// A searcher with everything loaded.
pub fn full(index: &BuiltIndex) -> Searcher {
    index.searcher().expect("valid index")
}

/// What a browser does: load only what the query needs.
pub fn lazy_search(
    index: &BuiltIndex,
    query: &str,
    limit: usize,
) -> (Searcher, Vec<kader_search::Hit>, usize) {
    let mut s = Searcher::new(&index.meta).unwrap();
    let mut loaded = 0;
    // Rounds: a second one only for a word the index does not know.
    for _round in 0..8 {
        let names = s.chunks_needed(query);
        if names.is_empty() {
            break;
        }
        for name in names {
            let bytes = named(&index.chunks, &name);
            s.add_chunk(&name, bytes).unwrap();
            loaded += bytes.len();
        }
    }
    assert!(s.chunks_needed(query).is_empty());
    let hits = s.search(query, limit);
    for name in s.fragments_needed(&hits) {
        let bytes = named(&index.fragments, &name);
        s.add_fragment(&name, bytes).unwrap();
        loaded += bytes.len();
    }
    (s, hits, loaded)
}

/// The bytes of the index file `name` among `files`.
fn named<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    files
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b.as_slice())
        .unwrap_or_else(|| panic!("{name} exists"))
}

pub fn pages(s: &Searcher, query: &str) -> Vec<u32> {
    s.search(query, 50).iter().map(|h| h.page).collect()
}

pub fn position(list: &[u32], page: u32) -> usize {
    list.iter()
        .position(|&p| p == page)
        .unwrap_or_else(|| panic!("page {page} not in {list:?}"))
}
