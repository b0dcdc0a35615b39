//! Dutch compound splitting.
//!
//! Dutch writes compounds as one word: `systeemrisico`,
//! `risicobeheersysteem`, `gegevensbescherming`. A reader searching for
//! `risico` expects those pages too (below pages that say `risico` itself).
//! At index time every long word is split into parts that are words
//! themselves, and the whole word is indexed again under each part as a
//! *compound-part* posting.
//!
//! # Algorithm
//!
//! Input: a folded word of at least [`MIN_COMPOUND_LEN`] ASCII letters and a
//! predicate "is this a word?" — the index's own vocabulary (every word that
//! occurs in the corpus) plus a built-in list of common Dutch compound heads
//! and modifiers ([`is_builtin_part`]); the word itself never counts.
//!
//! 1. A *part* is a substring that is a word and at least
//!    [`MIN_PART_LEN`] letters long; three-letter parts are allowed only when
//!    they are in the built-in list (`eis`, `wet`, `rol`, ...), which keeps
//!    prefixes such as `ver-`, `ont-`, `aan-` from being split off.
//! 2. Between two parts a Dutch linking morpheme may stand: `s`, `e` or
//!    `en` (`gegeven|s|bescherming`, `boek|en|kast`).
//! 3. Dynamic programming over the end positions finds every segmentation of
//!    the whole word into parts (and linkers). Among them it keeps the one
//!    with the fewest parts; ties go to the one whose shortest part is
//!    longest, then to fewer linker letters, then to the longer first part.
//!    At most [`MAX_PARTS`] parts, words up to [`MAX_COMPOUND_LEN`] letters.
//! 4. The index then also splits each part again (a part may itself be a
//!    compound of the vocabulary) and adds the runs of adjacent parts that
//!    are words (`beheer|systeem` → `beheersysteem`); see
//!    [`index_parts`].

/// Shortest word that is considered for splitting.
pub const MIN_COMPOUND_LEN: usize = 7;
/// Longest word that is considered for splitting.
pub const MAX_COMPOUND_LEN: usize = 48;
/// Shortest part (three-letter parts only from the built-in list).
pub const MIN_PART_LEN: usize = 4;
/// Most parts in one split.
pub const MAX_PARTS: usize = 5;

pub(crate) const LINKERS: [&str; 4] = ["", "s", "e", "en"];

/// Common Dutch compound heads and modifiers (folded, sorted). Words of the
/// regulatory/IT domain kader is made for, plus very frequent general ones.
pub(crate) const BUILTIN_PARTS: &[&str] = &[
    "aanbieder",
    "aanpak",
    "advies",
    "afspraak",
    "algoritme",
    "analyse",
    "antwoord",
    "audit",
    "autoriteit",
    "bank",
    "basis",
    "bedrijf",
    "beeld",
    "begrip",
    "beheer",
    "belang",
    "beleid",
    "beoordeling",
    "bericht",
    "bescherming",
    "besluit",
    "bestand",
    "beveiliging",
    "bewijs",
    "boete",
    "bron",
    "bureau",
    "burger",
    "categorie",
    "code",
    "commissie",
    "controle",
    "cyber",
    "dag",
    "data",
    "definitie",
    "dienst",
    "document",
    "doel",
    "effect",
    "eigenaar",
    "eis",
    "emotie",
    "evaluatie",
    "functie",
    "gebied",
    "gebruik",
    "gebruiker",
    "gedrag",
    "gegeven",
    "geval",
    "gezicht",
    "groep",
    "grond",
    "handeling",
    "handhaving",
    "herkenning",
    "houder",
    "impact",
    "incident",
    "informatie",
    "instantie",
    "instelling",
    "kader",
    "kennis",
    "keten",
    "klacht",
    "klasse",
    "kosten",
    "kwaliteit",
    "land",
    "leverancier",
    "lid",
    "lijst",
    "maatregel",
    "markt",
    "melding",
    "mens",
    "methode",
    "middel",
    "minister",
    "model",
    "netwerk",
    "niveau",
    "norm",
    "onderzoek",
    "ontwerp",
    "ontwikkeling",
    "opleiding",
    "opslag",
    "organisatie",
    "overheid",
    "overzicht",
    "partij",
    "periode",
    "persoon",
    "plan",
    "plicht",
    "praktijk",
    "privacy",
    "probleem",
    "proces",
    "product",
    "profiel",
    "programma",
    "project",
    "punt",
    "raad",
    "rapport",
    "recht",
    "regel",
    "regeling",
    "register",
    "richtlijn",
    "risico",
    "rol",
    "schade",
    "score",
    "sector",
    "software",
    "staat",
    "stelsel",
    "systeem",
    "taak",
    "taal",
    "techniek",
    "technologie",
    "tekst",
    "termijn",
    "test",
    "tijd",
    "toegang",
    "toepassing",
    "toets",
    "toezicht",
    "training",
    "transparantie",
    "uitleg",
    "uitvoering",
    "veiligheid",
    "verantwoording",
    "verbod",
    "vereiste",
    "verklaring",
    "verordening",
    "verplichting",
    "verslag",
    "vertrouwen",
    "verwerking",
    "voorwaarde",
    "vorm",
    "vraag",
    "waarde",
    "weg",
    "werk",
    "werking",
    "wet",
    "wetgeving",
    "wijze",
    "zaak",
    "zorg",
];

/// True if `word` is in the built-in list of compound parts.
pub fn is_builtin_part(word: &str) -> bool {
    BUILTIN_PARTS.binary_search(&word).is_ok()
}

/// One part of a split compound.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompoundPart {
    /// The part as written inside the compound (`gegeven`).
    pub text: String,
    /// Linking morpheme written after this part (`"s"`, `"e"`, `"en"` or `""`).
    pub linker: &'static str,
}

/// The best split of a suffix `word[i..]` found by the dynamic programming:
/// its ranking figures and the first part (`i..end`, then `linker`, then
/// the best split of `word[next..]`).
#[derive(Clone, Copy)]
struct Cell {
    parts: u8,
    min_len: u8,
    linker_len: u8,
    first_len: u8,
    end: u8,
    linker: u8,
    next: u8,
}

impl Cell {
    /// Smaller is better: fewest parts, then the longest shortest part, then
    /// the fewest linker letters, then the longest first part.
    fn rank(&self) -> (u8, std::cmp::Reverse<u8>, u8, std::cmp::Reverse<u8>) {
        (
            self.parts,
            std::cmp::Reverse(self.min_len),
            self.linker_len,
            std::cmp::Reverse(self.first_len),
        )
    }
}

fn consider(chosen: &mut Option<Cell>, candidate: Cell) {
    let better = match chosen {
        None => true,
        Some(c) => candidate.rank() < c.rank(),
    };
    if better {
        *chosen = Some(candidate);
    }
}

/// The dynamic programming of [`split_compound`] over byte positions:
/// `accept(i, j)` says whether `word[i..j]` may be a part (it is asked only
/// for `j ≥ i + 3`, never for the whole word, and only where a part could
/// follow at `j`). Returns the parts as
/// `(start, end, linker)`, or `None` when `word` is not a compound.
pub(crate) fn split_positions(
    word: &str,
    mut accept: impl FnMut(usize, usize) -> bool,
) -> Option<Vec<(usize, usize, &'static str)>> {
    let n = word.len();
    if !(MIN_COMPOUND_LEN..=MAX_COMPOUND_LEN).contains(&n)
        || !word.bytes().all(|b| b.is_ascii_lowercase())
    {
        return None;
    }
    let bytes = word.as_bytes();
    // best[i]: best split of word[i..] into parts (None: impossible).
    let mut best: [Option<Cell>; MAX_COMPOUND_LEN + 1] = [None; MAX_COMPOUND_LEN + 1];
    for i in (0..n).rev() {
        let mut chosen: Option<Cell> = None;
        for j in (i + 3)..=n {
            if i == 0 && j == n {
                continue;
            }
            // A part that no rest of the word can follow is not looked up.
            let followed = j == n
                || LINKERS.iter().any(|l| {
                    let k = j + l.len();
                    k < n && bytes[j..].starts_with(l.as_bytes()) && best[k].is_some()
                });
            if !followed || !accept(i, j) {
                continue;
            }
            let len = (j - i) as u8;
            if j == n {
                consider(
                    &mut chosen,
                    Cell {
                        parts: 1,
                        min_len: len,
                        linker_len: 0,
                        first_len: len,
                        end: j as u8,
                        linker: 0,
                        next: n as u8,
                    },
                );
                continue;
            }
            for (li, linker) in LINKERS.iter().enumerate() {
                let k = j + linker.len();
                if k >= n || !bytes[j..].starts_with(linker.as_bytes()) {
                    continue;
                }
                if let Some(rest) = best[k] {
                    if usize::from(rest.parts) + 1 > MAX_PARTS {
                        continue;
                    }
                    consider(
                        &mut chosen,
                        Cell {
                            parts: rest.parts + 1,
                            min_len: len.min(rest.min_len),
                            linker_len: linker.len() as u8 + rest.linker_len,
                            first_len: len,
                            end: j as u8,
                            linker: li as u8,
                            next: k as u8,
                        },
                    );
                }
            }
        }
        best[i] = chosen;
    }
    let first = best[0]?;
    if first.parts < 2 {
        return None;
    }
    let mut out = Vec::with_capacity(usize::from(first.parts));
    let mut i = 0usize;
    while i < n {
        let c = best[i]?;
        out.push((i, usize::from(c.end), LINKERS[usize::from(c.linker)]));
        i = usize::from(c.next);
    }
    Some(out)
}

fn acceptable_part(part: &str, is_word: &dyn Fn(&str) -> bool) -> bool {
    match part.len() {
        0..=2 => false,
        3 => is_builtin_part(part),
        _ => is_builtin_part(part) || is_word(part),
    }
}

/// Splits a folded Dutch word into compound parts, or `None` when it is not
/// a compound of known words. `is_word` says which strings are words of the
/// vocabulary (the built-in list is always consulted too; `word` itself is
/// never accepted as a part).
///
/// ```
/// use kader_search::split_compound;
/// let parts = split_compound("risicobeheersysteem", &|_| false).unwrap();
/// let texts: Vec<&str> = parts.iter().map(|p| p.text.as_str()).collect();
/// assert_eq!(texts, ["risico", "beheer", "systeem"]);
/// ```
pub fn split_compound(word: &str, is_word: &dyn Fn(&str) -> bool) -> Option<Vec<CompoundPart>> {
    let parts = split_positions(word, |i, j| {
        let part = &word[i..j];
        part != word && acceptable_part(part, is_word)
    })?;
    Some(
        parts
            .into_iter()
            .map(|(s, e, linker)| CompoundPart {
                text: word[s..e].to_string(),
                linker,
            })
            .collect(),
    )
}

/// Every string under which `word` is indexed as a compound: the parts of
/// its split, each part also with its linker (`gegeven` and `gegevens`), the
/// parts of those parts (recursively), and runs of adjacent parts that are
/// words themselves. Sorted and deduplicated; empty when `word` is not a
/// compound.
pub fn index_parts(word: &str, is_word: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    collect_parts(word, is_word, &mut out, 0);
    out.sort();
    out.dedup();
    out.retain(|p| p != word);
    out
}

fn collect_parts(word: &str, is_word: &dyn Fn(&str) -> bool, out: &mut Vec<String>, depth: usize) {
    if depth > 3 {
        return;
    }
    let Some(parts) = split_compound(word, is_word) else {
        return;
    };
    for p in &parts {
        out.push(p.text.clone());
        if !p.linker.is_empty() {
            out.push(format!("{}{}", p.text, p.linker));
        }
        collect_parts(&p.text, is_word, out, depth + 1);
    }
    // Runs of two or more adjacent parts (not the whole) that are words.
    for a in 0..parts.len() {
        let mut run = parts[a].text.clone();
        for (b, next) in parts.iter().enumerate().skip(a + 1) {
            run.push_str(parts[b - 1].linker);
            run.push_str(&next.text);
            let whole = a == 0 && b == parts.len() - 1;
            if !whole && is_word(&run) {
                out.push(run.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(word: &str, vocab: &[&str]) -> Option<Vec<(String, &'static str)>> {
        let is_word = |w: &str| vocab.contains(&w);
        split_compound(word, &is_word)
            .map(|ps| ps.into_iter().map(|p| (p.text, p.linker)).collect())
    }

    fn texts(word: &str, vocab: &[&str]) -> Vec<String> {
        split(word, vocab)
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.0)
            .collect()
    }

    #[test]
    fn builtin_list_is_sorted() {
        assert!(BUILTIN_PARTS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn three_parts() {
        assert_eq!(
            texts("risicobeheersysteem", &[]),
            ["risico", "beheer", "systeem"]
        );
    }

    #[test]
    fn linking_s() {
        assert_eq!(
            split("gegevensbescherming", &[]),
            Some(vec![
                ("gegeven".to_string(), "s"),
                ("bescherming".to_string(), "")
            ])
        );
        // with "gegevens" in the vocabulary the longer part wins
        assert_eq!(
            texts("gegevensbescherming", &["gegevens"]),
            ["gegevens", "bescherming"]
        );
    }

    #[test]
    fn linking_en_and_e() {
        assert_eq!(
            split("boekenkast", &["boek", "kast"]).unwrap()[0],
            ("boek".to_string(), "en")
        );
        assert_eq!(texts("modelevaluatie", &[]), ["model", "evaluatie"]);
    }

    #[test]
    fn vocabulary_words_count() {
        assert_eq!(texts("systeemrisico", &[]), ["systeem", "risico"]);
        assert_eq!(texts("toezichthouder", &[]), ["toezicht", "houder"]);
        assert_eq!(texts("algoritmeregister", &[]), ["algoritme", "register"]);
        assert_eq!(texts("kwaliteitseis", &[]), ["kwaliteit", "eis"]);
        assert_eq!(
            texts("zonnepaneel", &["zon", "zonne", "paneel"]),
            ["zonne", "paneel"]
        );
    }

    #[test]
    fn fewest_parts_preferred() {
        assert_eq!(
            texts("risicobeheersysteem", &["risicobeheer"]),
            ["risicobeheer", "systeem"]
        );
    }

    #[test]
    fn not_split() {
        // prefixes are not words of four letters or more
        assert_eq!(split("verordening", &["ver", "ordening"]), None);
        assert_eq!(split("bescherming", &["bes"]), None);
        // a word is never its own part
        assert_eq!(
            split("systeemrisico", &["systeemrisico"]).map(|p| p.len()),
            Some(2)
        );
        assert_eq!(split("kort", &[]), None);
        assert_eq!(split("coöperatie", &[]), None);
        assert_eq!(split("Risicobeheer", &[]), None, "input must be folded");
    }

    #[test]
    fn index_parts_recurse_and_add_runs() {
        let vocab = ["systeemrisico", "beheersysteem"];
        let is_word = |w: &str| vocab.contains(&w);
        assert_eq!(
            index_parts("systeemrisicobeoordeling", &is_word),
            ["beoordeling", "risico", "systeem", "systeemrisico"]
        );
        assert_eq!(
            index_parts("risicobeheersysteem", &is_word),
            ["beheer", "beheersysteem", "risico", "systeem"]
        );
        assert_eq!(
            index_parts("gegevensbescherming", &is_word),
            ["bescherming", "gegeven", "gegevens"]
        );
    }
}
