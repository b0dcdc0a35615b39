//! The classification rules of the EU AI Act (Regulation (EU) 2024/1689) for
//! general-purpose AI models, articles 51–55.
//!
//! [`classify`] takes [`ModelFacts`] and returns an [`Assessment`]: the
//! [`Classification`], whether the Commission *may* designate the model, an
//! explanation trace in which every [`Step`] cites its article, the provider
//! obligations and the labels (slugs) that apply.

use crate::compute::{
    format_number_precise, GPAI_INDICATIVE_THRESHOLD_FLOP, SYSTEMIC_RISK_THRESHOLD_FLOP,
};
use crate::date::Date;
use crate::text::{Lang, Text};
use serde::{Deserialize, Serialize};

/// Label: general-purpose AI model.
pub const LABEL_GPAI: &str = "ai-model-voor-algemene-doeleinden";
/// Label: with systemic risk.
pub const LABEL_SYSTEMIC_RISK: &str = "systeemrisico";
/// Label: without systemic risk.
pub const LABEL_NO_SYSTEMIC_RISK: &str = "geen-systeemrisico";
/// Label: the user is the provider.
pub const LABEL_PROVIDER: &str = "aanbieder";
/// Label: released under a free and open-source licence.
pub const LABEL_OPEN_SOURCE: &str = "open-source";
/// Label: not released under a free and open-source licence.
pub const LABEL_NOT_OPEN_SOURCE: &str = "geen-open-source";

/// All label slugs this module can produce.
pub const LABELS: [&str; 6] = [
    LABEL_GPAI,
    LABEL_SYSTEMIC_RISK,
    LABEL_NO_SYSTEMIC_RISK,
    LABEL_PROVIDER,
    LABEL_OPEN_SOURCE,
    LABEL_NOT_OPEN_SOURCE,
];

/// Registered business users in the Union from which a high impact on the
/// internal market is presumed (Annex XIII, point (f)).
pub const BUSINESS_USERS_THRESHOLD: u64 = 10_000;

/// Days within which the provider must notify the Commission (art. 52(1):
/// "in any event within two weeks").
pub const NOTIFICATION_PERIOD_DAYS: i64 = 14;

/// Months after a designation decision before reassessment may be requested
/// (art. 52(5)).
pub const REASSESSMENT_WAIT_MONTHS: i32 = 6;

/// The outcome of the classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Classification {
    /// Not a general-purpose AI model: Chapter V does not apply.
    NotGpai,
    /// A general-purpose AI model without systemic risk (art. 53 applies).
    Gpai,
    /// A GPAI model with systemic risk because its training compute is
    /// greater than 10^25 FLOP (art. 51(1)(a) with 51(2)).
    SystemicRiskPresumed,
    /// A GPAI model with systemic risk designated by the Commission
    /// (art. 51(1)(b), art. 52(4)).
    SystemicRiskDesignated,
}

impl Classification {
    /// Order used for monotonicity: NotGpai (0) < Gpai (1) < systemic risk (2).
    pub fn rank(self) -> u8 {
        match self {
            Classification::NotGpai => 0,
            Classification::Gpai => 1,
            Classification::SystemicRiskPresumed | Classification::SystemicRiskDesignated => 2,
        }
    }

    /// Whether this is a general-purpose AI model (with or without systemic risk).
    pub fn is_gpai(self) -> bool {
        self != Classification::NotGpai
    }

    /// Whether the model has systemic risk.
    pub fn is_systemic_risk(self) -> bool {
        self.rank() == 2
    }

    /// A short name for people.
    pub fn title(self) -> Text {
        match self {
            Classification::NotGpai => Text::new(
                "Geen AI-model voor algemene doeleinden",
                "Not a general-purpose AI model",
            ),
            Classification::Gpai => Text::new(
                "AI-model voor algemene doeleinden zonder systeemrisico",
                "General-purpose AI model without systemic risk",
            ),
            Classification::SystemicRiskPresumed => Text::new(
                "AI-model voor algemene doeleinden met systeemrisico (vermoeden)",
                "General-purpose AI model with systemic risk (presumed)",
            ),
            Classification::SystemicRiskDesignated => Text::new(
                "AI-model voor algemene doeleinden met systeemrisico (aangewezen)",
                "General-purpose AI model with systemic risk (designated)",
            ),
        }
    }
}

/// Output modalities the model can generate (for the indicative criterion of
/// the Commission's GPAI guidelines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Modalities {
    /// Language: text or audio.
    pub language: bool,
    /// Images (text-to-image).
    pub images: bool,
    /// Video (text-to-video).
    pub video: bool,
}

impl Modalities {
    /// Whether any generative modality is present.
    pub fn any(self) -> bool {
        self.language || self.images || self.video
    }
}

/// The user's role with respect to the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Provider (aanbieder, art. 3(3)): develops the model, or has it
    /// developed, and places it on the market under its own name.
    Provider,
    /// Deployer or downstream user (gebruiksverantwoordelijke): uses the
    /// model or a system built on it.
    Deployer,
}

/// The Annex XIII criteria the Commission considers when designating a model
/// (art. 51(1)(b), art. 52(4)), as a checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AnnexXiii {
    /// (a) number of parameters.
    pub parameters: bool,
    /// (b) quality or size of the data set (e.g. tokens).
    pub dataset: bool,
    /// (c) training compute, or cost, time or energy of training.
    pub compute: bool,
    /// (d) input and output modalities.
    pub modalities: bool,
    /// (e) benchmarks and evaluations of capabilities (tasks, adaptability,
    /// autonomy, scalability, tools).
    pub benchmarks: bool,
    /// (f) high impact on the internal market due to its reach.
    pub market_reach: bool,
    /// (f) number of registered business users in the Union, if known;
    /// ≥ 10 000 means criterion (f) is met.
    pub registered_business_users: Option<u64>,
    /// (g) number of registered end-users.
    pub end_users: bool,
}

/// One of the Annex XIII criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnnexXiiiCriterion {
    /// Point (a).
    Parameters,
    /// Point (b).
    Dataset,
    /// Point (c).
    Compute,
    /// Point (d).
    Modalities,
    /// Point (e).
    Benchmarks,
    /// Point (f).
    MarketReach,
    /// Point (g).
    EndUsers,
}

impl AnnexXiiiCriterion {
    /// The point letter in Annex XIII.
    pub fn point(self) -> char {
        match self {
            AnnexXiiiCriterion::Parameters => 'a',
            AnnexXiiiCriterion::Dataset => 'b',
            AnnexXiiiCriterion::Compute => 'c',
            AnnexXiiiCriterion::Modalities => 'd',
            AnnexXiiiCriterion::Benchmarks => 'e',
            AnnexXiiiCriterion::MarketReach => 'f',
            AnnexXiiiCriterion::EndUsers => 'g',
        }
    }

    /// Citation, e.g. `bijlage XIII, punt f` / `Annex XIII, point (f)`.
    pub fn citation(self) -> Text {
        let p = self.point();
        Text::new(
            format!("bijlage XIII, punt {p}"),
            format!("Annex XIII, point ({p})"),
        )
    }

    /// What the criterion is about.
    pub fn description(self) -> Text {
        match self {
            AnnexXiiiCriterion::Parameters => {
                Text::new("het aantal parameters van het model", "the number of parameters of the model")
            }
            AnnexXiiiCriterion::Dataset => Text::new(
                "de kwaliteit of omvang van de dataset (bijvoorbeeld gemeten in tokens)",
                "the quality or size of the data set (for example measured in tokens)",
            ),
            AnnexXiiiCriterion::Compute => Text::new(
                "de rekenkracht voor de training, of de geschatte kosten, duur of het energieverbruik van de training",
                "the training compute, or the estimated cost, time or energy consumption of training",
            ),
            AnnexXiiiCriterion::Modalities => Text::new(
                "de input- en outputmodaliteiten van het model",
                "the input and output modalities of the model",
            ),
            AnnexXiiiCriterion::Benchmarks => Text::new(
                "benchmarks en evaluaties van de capaciteiten (aantal taken, aanpasbaarheid, autonomie, schaalbaarheid, toegang tot tools)",
                "benchmarks and evaluations of capabilities (number of tasks, adaptability, autonomy, scalability, access to tools)",
            ),
            AnnexXiiiCriterion::MarketReach => Text::new(
                "een grote impact op de interne markt door het bereik",
                "a high impact on the internal market due to its reach",
            ),
            AnnexXiiiCriterion::EndUsers => Text::new(
                "het aantal geregistreerde eindgebruikers",
                "the number of registered end-users",
            ),
        }
    }
}

/// What is known about the model. Every field has a neutral default, so a
/// JSON object with only some fields deserializes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ModelFacts {
    /// The user's own assessment of art. 3(63): `Some(true)` it is a GPAI
    /// model, `Some(false)` it is not; `None` to rely on the indicative
    /// criterion of the guidelines (compute and modalities).
    pub general_purpose: Option<bool>,
    /// Cumulative training compute in FLOP, if known.
    pub training_compute_flop: Option<f64>,
    /// Which content the model can generate.
    pub generates: Modalities,
    /// The user's role.
    pub role: Option<Role>,
    /// Released under a free and open-source licence with public weights,
    /// architecture and usage information (art. 53(2)).
    pub open_source: bool,
    /// The Commission has designated this model as a GPAI model with
    /// systemic risk (art. 52(4)).
    pub designated_by_commission: bool,
    /// Date of the designation decision (for art. 52(5)).
    pub designation_date: Option<Date>,
    /// Date on which the compute threshold was met or it became known that
    /// it will be met (for art. 52(1)).
    pub threshold_date: Option<Date>,
    /// Annex XIII checklist.
    pub annex_xiii: AnnexXiii,
}

/// One step of the explanation trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The provision relied on, e.g. `art. 51(2)`.
    pub article: Text,
    /// What was decided and why.
    pub text: Text,
}

/// A provider obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    /// Stable identifier, e.g. `technical-documentation`.
    pub id: String,
    /// The article, e.g. `art. 53(1)(a)`.
    pub article: String,
    /// What the provider has to do.
    pub text: Text,
}

/// A reason why the Commission may designate the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesignationReason {
    /// The Annex XIII criterion.
    pub criterion: AnnexXiiiCriterion,
    /// Its citation.
    pub article: Text,
    /// Explanation.
    pub text: Text,
}

/// The result of [`classify`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assessment {
    /// The classification.
    pub classification: Classification,
    /// For a GPAI model without systemic risk: whether one or more Annex XIII
    /// criteria are met so that the Commission may designate it.
    pub may_be_designated: bool,
    /// The Annex XIII criteria that are met (empty unless `may_be_designated`).
    pub designation_reasons: Vec<DesignationReason>,
    /// The provider must notify the Commission (art. 52(1)).
    pub notification_required: bool,
    /// Latest notification date, if a threshold date was given.
    pub notification_deadline: Option<Date>,
    /// Earliest date to request reassessment, if a designation date was given.
    pub earliest_reassessment: Option<Date>,
    /// The explanation trace.
    pub steps: Vec<Step>,
    /// The provider obligations that apply to the model.
    pub obligations: Vec<Obligation>,
    /// Label slugs (see [`LABELS`]).
    pub labels: Vec<String>,
}

/// The deadline to notify the Commission (AI Office) under art. 52(1): two
/// weeks (14 days) after the threshold is met or it becomes known that it
/// will be met. "Without delay" still applies; this is the outer limit.
/// Not shifted for weekends or public holidays. `None` past year 9999.
pub fn notification_deadline(threshold_met_or_known: Date) -> Option<Date> {
    threshold_met_or_known.add_days(NOTIFICATION_PERIOD_DAYS)
}

/// The earliest date on which a provider may request reassessment of a
/// designation (art. 52(5)): six calendar months after the decision, clamped
/// to the end of a shorter month (2025-08-31 → 2026-02-28). The same applies
/// after a decision to maintain the designation. `None` past year 9999.
pub fn earliest_reassessment_request(decision: Date) -> Option<Date> {
    decision.add_months(REASSESSMENT_WAIT_MONTHS)
}

/// Whether compute is above the art. 51(2) threshold (strictly greater than
/// 10^25 FLOP). NaN is never above.
pub fn exceeds_systemic_risk_threshold(flop: f64) -> bool {
    flop > SYSTEMIC_RISK_THRESHOLD_FLOP
}

/// Whether compute is above the indicative GPAI threshold of the guidelines
/// (strictly greater than 10^23 FLOP).
pub fn exceeds_indicative_gpai_threshold(flop: f64) -> bool {
    flop > GPAI_INDICATIVE_THRESHOLD_FLOP
}

/// The Annex XIII criteria met by a checklist, in Annex order.
pub fn designation_reasons(annex: &AnnexXiii) -> Vec<DesignationReason> {
    let mut out = Vec::new();
    let mut push = |criterion: AnnexXiiiCriterion, text: Text| {
        out.push(DesignationReason {
            criterion,
            article: criterion.citation(),
            text,
        });
    };
    let plain = |c: AnnexXiiiCriterion| {
        let d = c.description();
        Text::new(
            format!("Aangegeven is dat {} op een grote impact wijst.", d.nl),
            format!("You indicated that {} points to a high impact.", d.en),
        )
    };
    if annex.parameters {
        push(
            AnnexXiiiCriterion::Parameters,
            plain(AnnexXiiiCriterion::Parameters),
        );
    }
    if annex.dataset {
        push(
            AnnexXiiiCriterion::Dataset,
            plain(AnnexXiiiCriterion::Dataset),
        );
    }
    if annex.compute {
        push(
            AnnexXiiiCriterion::Compute,
            plain(AnnexXiiiCriterion::Compute),
        );
    }
    if annex.modalities {
        push(
            AnnexXiiiCriterion::Modalities,
            plain(AnnexXiiiCriterion::Modalities),
        );
    }
    if annex.benchmarks {
        push(
            AnnexXiiiCriterion::Benchmarks,
            plain(AnnexXiiiCriterion::Benchmarks),
        );
    }
    let users = annex.registered_business_users;
    let users_met = users.is_some_and(|n| n >= BUSINESS_USERS_THRESHOLD);
    if users_met {
        let n = users.unwrap_or(0);
        push(
            AnnexXiiiCriterion::MarketReach,
            Text::new(
                format!(
                    "Het model is beschikbaar gesteld aan {n} geregistreerde zakelijke gebruikers in de Unie; vanaf 10 000 wordt een grote impact op de interne markt vermoed."
                ),
                format!(
                    "The model has been made available to {n} registered business users in the Union; from 10 000 a high impact on the internal market is presumed."
                ),
            ),
        );
    } else if annex.market_reach {
        push(
            AnnexXiiiCriterion::MarketReach,
            plain(AnnexXiiiCriterion::MarketReach),
        );
    }
    if annex.end_users {
        push(
            AnnexXiiiCriterion::EndUsers,
            plain(AnnexXiiiCriterion::EndUsers),
        );
    }
    out
}

fn art(s: &str) -> Text {
    Text::same(s)
}

fn flop_text(flop: f64, lang: Lang) -> String {
    format!("{} FLOP", format_number_precise(flop, lang))
}

/// The art. 53(1) obligations for every GPAI model provider. With
/// `open_source_exempt`, points (a) and (b) are left out (art. 53(2)).
pub fn gpai_obligations(open_source_exempt: bool) -> Vec<Obligation> {
    let mut out = Vec::new();
    if !open_source_exempt {
        out.push(Obligation {
            id: "technical-documentation".into(),
            article: "art. 53(1)(a)".into(),
            text: Text::new(
                "Technische documentatie van het model opstellen en actueel houden, inclusief het trainings- en testproces en de evaluatieresultaten (bijlage XI), om op verzoek aan het AI-bureau en nationale bevoegde autoriteiten te verstrekken.",
                "Draw up and keep up to date the technical documentation of the model, including its training and testing process and evaluation results (Annex XI), to provide on request to the AI Office and national competent authorities.",
            ),
        });
        out.push(Obligation {
            id: "downstream-information".into(),
            article: "art. 53(1)(b)".into(),
            text: Text::new(
                "Informatie en documentatie opstellen, actueel houden en beschikbaar stellen aan aanbieders verder in de keten die het model in hun AI-systemen willen integreren (bijlage XII).",
                "Draw up, keep up to date and make available information and documentation to downstream providers that intend to integrate the model into their AI systems (Annex XII).",
            ),
        });
    }
    out.push(Obligation {
        id: "copyright-policy".into(),
        article: "art. 53(1)(c)".into(),
        text: Text::new(
            "Beleid invoeren om aan het Unierecht inzake auteursrecht en naburige rechten te voldoen, in het bijzonder om een voorbehoud van rechten (art. 4(3) Richtlijn (EU) 2019/790) vast te stellen en na te leven.",
            "Put in place a policy to comply with Union law on copyright and related rights, in particular to identify and comply with a reservation of rights (Art. 4(3) of Directive (EU) 2019/790).",
        ),
    });
    out.push(Obligation {
        id: "training-content-summary".into(),
        article: "art. 53(1)(d)".into(),
        text: Text::new(
            "Een voldoende gedetailleerde samenvatting van de voor de training gebruikte content opstellen en openbaar maken, volgens het sjabloon van het AI-bureau.",
            "Draw up and make publicly available a sufficiently detailed summary of the content used for training, following the AI Office's template.",
        ),
    });
    out
}

/// The additional art. 55(1) obligations for GPAI models with systemic risk.
pub fn systemic_risk_obligations() -> Vec<Obligation> {
    vec![
        Obligation {
            id: "model-evaluation".into(),
            article: "art. 55(1)(a)".into(),
            text: Text::new(
                "Modelevaluaties uitvoeren volgens gestandaardiseerde protocollen en instrumenten die de stand van de techniek weerspiegelen, inclusief het uitvoeren en documenteren van tests gericht op het vinden van kwetsbaarheden (adversarial testing).",
                "Perform model evaluation in accordance with standardised protocols and tools reflecting the state of the art, including conducting and documenting adversarial testing.",
            ),
        },
        Obligation {
            id: "systemic-risk-mitigation".into(),
            article: "art. 55(1)(b)".into(),
            text: Text::new(
                "Mogelijke systeemrisico's op Unieniveau, inclusief de bronnen ervan, beoordelen en beperken.",
                "Assess and mitigate possible systemic risks at Union level, including their sources.",
            ),
        },
        Obligation {
            id: "serious-incidents".into(),
            article: "art. 55(1)(c)".into(),
            text: Text::new(
                "Relevante informatie over ernstige incidenten en mogelijke corrigerende maatregelen bijhouden, documenteren en onverwijld melden aan het AI-bureau en, waar passend, aan nationale bevoegde autoriteiten.",
                "Keep track of, document and report without undue delay relevant information about serious incidents and possible corrective measures to the AI Office and, as appropriate, national competent authorities.",
            ),
        },
        Obligation {
            id: "cybersecurity".into(),
            article: "art. 55(1)(d)".into(),
            text: Text::new(
                "Zorgen voor een passend niveau van cyberbeveiliging voor het model en de fysieke infrastructuur ervan.",
                "Ensure an adequate level of cybersecurity protection for the model and its physical infrastructure.",
            ),
        },
    ]
}

fn notification_obligation() -> Obligation {
    Obligation {
        id: "notification".into(),
        article: "art. 52(1)".into(),
        text: Text::new(
            "De Commissie (AI-bureau) onverwijld en in ieder geval binnen twee weken in kennis stellen nadat aan de drempel is voldaan of bekend is dat eraan zal worden voldaan, met de informatie die dat aantoont.",
            "Notify the Commission (AI Office) without delay and in any event within two weeks after the threshold is met or it becomes known that it will be met, with the information demonstrating this.",
        ),
    }
}

/// Classifies a model. Never panics; unknown facts are treated as "not
/// established" and said so in the trace.
pub fn classify(facts: &ModelFacts) -> Assessment {
    let mut steps: Vec<Step> = Vec::new();
    let compute = facts
        .training_compute_flop
        .filter(|c| c.is_finite() && *c >= 0.0);

    // Step 1: general-purpose AI model? (art. 3(63), guidelines)
    let mut is_gpai = match facts.general_purpose {
        Some(true) => {
            steps.push(Step {
                article: art("art. 3(63)"),
                text: Text::new(
                    "U geeft aan dat het een AI-model voor algemene doeleinden is: het vertoont aanzienlijke algemeenheid, kan een breed scala aan onderscheiden taken competent uitvoeren en kan in uiteenlopende systemen of toepassingen worden geïntegreerd.",
                    "You indicated that this is a general-purpose AI model: it displays significant generality, can competently perform a wide range of distinct tasks and can be integrated into a variety of downstream systems or applications.",
                ),
            });
            true
        }
        Some(false) => {
            steps.push(Step {
                article: art("art. 3(63)"),
                text: Text::new(
                    "U geeft aan dat het geen AI-model voor algemene doeleinden is. De regels van hoofdstuk V (art. 51–55) gelden dan niet voor dit model.",
                    "You indicated that this is not a general-purpose AI model. The rules of Chapter V (Articles 51–55) then do not apply to this model.",
                ),
            });
            false
        }
        None => {
            let modal = facts.generates.any();
            let above = compute.is_some_and(exceeds_indicative_gpai_threshold);
            let guideline = Text::new(
                "richtsnoeren GPAI (juli 2025)",
                "GPAI guidelines (July 2025)",
            );
            let met = modal && above;
            let compute_nl = compute.map_or("onbekend".to_string(), |c| flop_text(c, Lang::Nl));
            let compute_en = compute.map_or("unknown".to_string(), |c| flop_text(c, Lang::En));
            let text = if met {
                Text::new(
                    format!("Indicatief criterium uit de richtsnoeren van de Commissie (geen wettelijke regel): de trainingsrekenkracht ({compute_nl}) is groter dan 10^23 FLOP en het model kan taal (tekst of audio), afbeeldingen of video genereren. Het model wordt daarom als AI-model voor algemene doeleinden (art. 3(63)) behandeld."),
                    format!("Indicative criterion from the Commission's guidelines (not a legal rule): the training compute ({compute_en}) is greater than 10^23 FLOP and the model can generate language (text or audio), images or video. The model is therefore treated as a general-purpose AI model (Art. 3(63))."),
                )
            } else {
                let why_nl = match (above, modal) {
                    (false, false) => "de trainingsrekenkracht is niet groter dan 10^23 FLOP (of onbekend) en het model genereert geen taal, afbeeldingen of video",
                    (false, true) => "de trainingsrekenkracht is niet groter dan 10^23 FLOP (of onbekend)",
                    _ => "het model genereert geen taal (tekst of audio), afbeeldingen of video",
                };
                let why_en = match (above, modal) {
                    (false, false) => "the training compute is not greater than 10^23 FLOP (or unknown) and the model does not generate language, images or video",
                    (false, true) => "the training compute is not greater than 10^23 FLOP (or unknown)",
                    _ => "the model does not generate language (text or audio), images or video",
                };
                Text::new(
                    format!("Indicatief criterium uit de richtsnoeren van de Commissie (geen wettelijke regel) is niet vervuld: {why_nl} (trainingsrekenkracht: {compute_nl}). Het model wordt daarom niet als AI-model voor algemene doeleinden behandeld. Dit criterium is niet doorslaggevend: toets zelf aan de definitie van art. 3(63)."),
                    format!("The indicative criterion from the Commission's guidelines (not a legal rule) is not met: {why_en} (training compute: {compute_en}). The model is therefore not treated as a general-purpose AI model. The criterion is not decisive: check the definition in Art. 3(63) yourself."),
                )
            };
            steps.push(Step {
                article: guideline,
                text,
            });
            met
        }
    };

    let mut classification = Classification::NotGpai;
    let mut may_be_designated = false;
    let mut reasons = Vec::new();
    let mut notification_required = false;
    let mut notification_deadline_date = None;
    let mut earliest_reassessment = None;

    if facts.designated_by_commission {
        if !is_gpai {
            steps.push(Step {
                article: art("art. 51(1)(b)"),
                text: Text::new(
                    "De Commissie wijst alleen AI-modellen voor algemene doeleinden aan. Omdat de Commissie dit model heeft aangewezen, wordt het toch als zodanig behandeld.",
                    "The Commission only designates general-purpose AI models. Because the Commission has designated this model, it is treated as one.",
                ),
            });
            is_gpai = true;
        }
        classification = Classification::SystemicRiskDesignated;
        steps.push(Step {
            article: art("art. 52(4)"),
            text: Text::new(
                "De Commissie heeft het model aangewezen als AI-model voor algemene doeleinden met een systeemrisico (art. 51(1)(b)), op basis van de criteria van bijlage XIII.",
                "The Commission has designated the model as a general-purpose AI model with systemic risk (Art. 51(1)(b)), based on the criteria in Annex XIII.",
            ),
        });
        if let Some(c) = compute.filter(|c| exceeds_systemic_risk_threshold(*c)) {
            notification_required = true;
            steps.push(Step {
                article: art("art. 51(2)"),
                text: Text::new(
                    format!("Daarnaast is de trainingsrekenkracht ({}) groter dan 10^25 FLOP, zodat ook het vermoeden van capaciteiten met een grote impact geldt en de kennisgevingsplicht van art. 52(1) van toepassing is.", flop_text(c, Lang::Nl)),
                    format!("In addition, the training compute ({}) is greater than 10^25 FLOP, so the presumption of high-impact capabilities also applies, as does the notification duty of Art. 52(1).", flop_text(c, Lang::En)),
                ),
            });
        }
        match facts.designation_date {
            Some(date) => {
                earliest_reassessment = earliest_reassessment_request(date);
                let text = match earliest_reassessment {
                    Some(r) => Text::new(
                        format!("U kunt op zijn vroegst zes maanden na het aanwijzingsbesluit van {} om een herbeoordeling verzoeken, dus vanaf {}. Het verzoek moet objectieve, gedetailleerde en nieuwe redenen bevatten.", date.format(Lang::Nl), r.format(Lang::Nl)),
                        format!("You may request reassessment at the earliest six months after the designation decision of {}, so from {}. The request must contain objective, detailed and new reasons.", date.format(Lang::En), r.format(Lang::En)),
                    ),
                    None => Text::new(
                        "De datum voor herbeoordeling valt buiten het ondersteunde bereik.",
                        "The reassessment date falls outside the supported range.",
                    ),
                };
                steps.push(Step {
                    article: art("art. 52(5)"),
                    text,
                });
            }
            None => steps.push(Step {
                article: art("art. 52(5)"),
                text: Text::new(
                    "De aanbieder kan op zijn vroegst zes maanden na het aanwijzingsbesluit met een met redenen omkleed verzoek om herbeoordeling vragen.",
                    "The provider may submit a reasoned request for reassessment at the earliest six months after the designation decision.",
                ),
            }),
        }
    } else if is_gpai {
        classification = Classification::Gpai;
        let remark_nl = "De verordening spreekt van ‘groter dan’ 10^25 FLOP; precies 10^25 FLOP leidt dus niet tot het vermoeden (de methodologie van AI & Partners noemt ‘gelijk aan of groter dan’, maar de tekst van de verordening gaat voor). De Commissie kan deze drempel bij gedelegeerde handeling aanpassen (art. 51(3)).";
        let remark_en = "The Regulation says ‘greater than’ 10^25 FLOP, so exactly 10^25 FLOP does not trigger the presumption (the AI & Partners methodology says ‘meets or exceeds’, but the text of the Regulation prevails). The Commission may amend this threshold by delegated act (Art. 51(3)).";
        match compute {
            Some(c) if exceeds_systemic_risk_threshold(c) => {
                classification = Classification::SystemicRiskPresumed;
                notification_required = true;
                steps.push(Step {
                    article: art("art. 51(2)"),
                    text: Text::new(
                        format!("De trainingsrekenkracht ({}) is groter dan 10^25 FLOP. Het model wordt daarom vermoed capaciteiten met een grote impact te hebben en is een AI-model voor algemene doeleinden met een systeemrisico (art. 51(1)(a)). {remark_nl}", flop_text(c, Lang::Nl)),
                        format!("The training compute ({}) is greater than 10^25 FLOP. The model is therefore presumed to have high-impact capabilities and is a general-purpose AI model with systemic risk (Art. 51(1)(a)). {remark_en}", flop_text(c, Lang::En)),
                    ),
                });
            }
            Some(c) => steps.push(Step {
                article: art("art. 51(2)"),
                text: Text::new(
                    format!("De trainingsrekenkracht ({}) is niet groter dan 10^25 FLOP, dus het vermoeden van capaciteiten met een grote impact geldt niet. {remark_nl}", flop_text(c, Lang::Nl)),
                    format!("The training compute ({}) is not greater than 10^25 FLOP, so the presumption of high-impact capabilities does not apply. {remark_en}", flop_text(c, Lang::En)),
                ),
            }),
            None => steps.push(Step {
                article: art("art. 51(2)"),
                text: Text::new(
                    format!("De trainingsrekenkracht is niet opgegeven; het vermoeden van art. 51(2) (meer dan 10^25 FLOP) kan daarom niet worden vastgesteld. {remark_nl}"),
                    format!("No training compute was given, so the presumption of Art. 51(2) (more than 10^25 FLOP) cannot be established. {remark_en}"),
                ),
            }),
        }

        if classification == Classification::SystemicRiskPresumed {
            let text = match facts.threshold_date.map(|d| (d, notification_deadline(d))) {
                Some((d, Some(deadline))) => {
                    notification_deadline_date = Some(deadline);
                    Text::new(
                        format!("De aanbieder moet de Commissie (AI-bureau) onverwijld en uiterlijk binnen twee weken in kennis stellen. Aan de drempel is voldaan (of werd bekend dat eraan zal worden voldaan) op {}, dus de kennisgeving moet uiterlijk op {} gebeuren.", d.format(Lang::Nl), deadline.format(Lang::Nl)),
                        format!("The provider must notify the Commission (AI Office) without delay and in any event within two weeks. The threshold was met (or it became known that it will be met) on {}, so the notification is due by {} at the latest.", d.format(Lang::En), deadline.format(Lang::En)),
                    )
                }
                _ => Text::new(
                    "De aanbieder moet de Commissie (AI-bureau) onverwijld en uiterlijk binnen twee weken in kennis stellen nadat aan de drempel is voldaan of bekend is geworden dat eraan zal worden voldaan — dus vaak al vóór het einde van de training (overweging 112).",
                    "The provider must notify the Commission (AI Office) without delay and in any event within two weeks after the threshold is met or it becomes known that it will be met — often before training has finished (recital 112).",
                ),
            };
            steps.push(Step {
                article: art("art. 52(1)"),
                text,
            });
            steps.push(Step {
                article: art("art. 52(2)"),
                text: Text::new(
                    "Bij de kennisgeving mag de aanbieder met voldoende onderbouwde argumenten aantonen dat het model door zijn specifieke kenmerken bij wijze van uitzondering geen systeemrisico's meebrengt.",
                    "With the notification the provider may present sufficiently substantiated arguments that, exceptionally, the model does not present systemic risks due to its specific characteristics.",
                ),
            });
            steps.push(Step {
                article: art("art. 52(3)"),
                text: Text::new(
                    "Vindt de Commissie die argumenten onvoldoende onderbouwd, dan wijst zij ze af en blijft het model een AI-model voor algemene doeleinden met een systeemrisico.",
                    "If the Commission finds those arguments insufficiently substantiated, it rejects them and the model remains a general-purpose AI model with systemic risk.",
                ),
            });
        } else {
            reasons = designation_reasons(&facts.annex_xiii);
            may_be_designated = !reasons.is_empty();
            if let Some(n) = facts.annex_xiii.registered_business_users {
                let text = if n >= BUSINESS_USERS_THRESHOLD {
                    Text::new(
                        format!("Het model is beschikbaar gesteld aan {n} geregistreerde zakelijke gebruikers in de Unie (ten minste 10 000): een grote impact op de interne markt wordt vermoed."),
                        format!("The model has been made available to {n} registered business users in the Union (at least 10 000): a high impact on the internal market is presumed."),
                    )
                } else {
                    Text::new(
                        format!("Het model is beschikbaar gesteld aan {n} geregistreerde zakelijke gebruikers in de Unie; dat is minder dan 10 000, dus het vermoeden van een grote impact door bereik geldt niet."),
                        format!("The model has been made available to {n} registered business users in the Union; that is fewer than 10 000, so the presumption of high impact due to reach does not apply."),
                    )
                };
                steps.push(Step {
                    article: AnnexXiiiCriterion::MarketReach.citation(),
                    text,
                });
            }
            let text = if may_be_designated {
                let list_nl: Vec<String> = reasons
                    .iter()
                    .map(|r| format!("{} ({})", r.criterion.description().nl, r.article.nl))
                    .collect();
                let list_en: Vec<String> = reasons
                    .iter()
                    .map(|r| format!("{} ({})", r.criterion.description().en, r.article.en))
                    .collect();
                Text::new(
                    format!("De Commissie kan het model aanwijzen als AI-model voor algemene doeleinden met een systeemrisico als het capaciteiten of een impact heeft die gelijkwaardig zijn aan die van de meest geavanceerde modellen. Aanwijzingen daarvoor: {}.", list_nl.join("; ")),
                    format!("The Commission may designate the model as a general-purpose AI model with systemic risk if it has capabilities or an impact equivalent to the most advanced models. Indications: {}.", list_en.join("; ")),
                )
            } else {
                Text::new(
                    "Geen van de criteria van bijlage XIII is aangevinkt; er zijn geen aanwijzingen dat de Commissie het model zal aanwijzen. Zolang de Commissie het model niet aanwijst, heeft het geen systeemrisico.",
                    "None of the Annex XIII criteria is ticked; there is no indication that the Commission will designate the model. As long as the Commission does not designate it, the model has no systemic risk.",
                )
            };
            steps.push(Step {
                article: art("art. 51(1)(b), art. 52(4)"),
                text,
            });
        }
    }

    // Open source (art. 53(2)).
    let systemic = classification.is_systemic_risk();
    let open_source_exempt = is_gpai && facts.open_source && !systemic;
    if is_gpai {
        let text = match (facts.open_source, systemic) {
            (true, true) => Text::new(
                "Het model wordt onder een vrije en opensourcelicentie uitgebracht, maar de uitzondering van art. 53(2) geldt niet voor modellen met een systeemrisico: alle verplichtingen blijven gelden.",
                "The model is released under a free and open-source licence, but the exemption of Art. 53(2) does not apply to models with systemic risk: all obligations remain.",
            ),
            (true, false) => Text::new(
                "Het model wordt onder een vrije en opensourcelicentie uitgebracht met openbare parameters (inclusief gewichten), architectuur en gebruiksinformatie: de verplichtingen van art. 53(1)(a) en (b) gelden niet. Het auteursrechtbeleid en de samenvatting van de trainingscontent blijven verplicht.",
                "The model is released under a free and open-source licence with public parameters (including weights), architecture and usage information: the obligations of Art. 53(1)(a) and (b) do not apply. The copyright policy and the training-content summary remain mandatory.",
            ),
            (false, _) => Text::new(
                "Het model wordt niet onder een vrije en opensourcelicentie uitgebracht; de uitzondering van art. 53(2) is niet van toepassing.",
                "The model is not released under a free and open-source licence; the exemption of Art. 53(2) does not apply.",
            ),
        };
        steps.push(Step {
            article: art("art. 53(2)"),
            text,
        });
    }

    // Role.
    if is_gpai && facts.role == Some(Role::Deployer) {
        steps.push(Step {
            article: art("art. 3(3)"),
            text: Text::new(
                "U bent geen aanbieder van het model. De verplichtingen hieronder rusten op de aanbieder (wie het model ontwikkelt of laat ontwikkelen en onder eigen naam in de handel brengt). Let op: wie het model zelf aanpast of verfijnt, kan aanbieder van een nieuw model worden; en voor het AI-systeem waarin u het model inzet, gelden de regels voor AI-systemen.",
                "You are not the provider of the model. The obligations below rest with the provider (whoever develops the model or has it developed and places it on the market under its own name). Note: modifying or fine-tuning the model yourself can make you the provider of a new model, and the AI system in which you use the model is subject to the rules for AI systems.",
            ),
        });
    }

    // Obligations.
    let mut obligations = Vec::new();
    if is_gpai {
        if notification_required {
            obligations.push(notification_obligation());
        }
        obligations.extend(gpai_obligations(open_source_exempt));
        if systemic {
            obligations.extend(systemic_risk_obligations());
        }
    }

    // Labels.
    let mut labels: Vec<String> = Vec::new();
    if is_gpai {
        labels.push(LABEL_GPAI.into());
        labels.push(
            if systemic {
                LABEL_SYSTEMIC_RISK
            } else {
                LABEL_NO_SYSTEMIC_RISK
            }
            .into(),
        );
    }
    if facts.role == Some(Role::Provider) {
        labels.push(LABEL_PROVIDER.into());
    }
    if is_gpai {
        labels.push(
            if facts.open_source {
                LABEL_OPEN_SOURCE
            } else {
                LABEL_NOT_OPEN_SOURCE
            }
            .into(),
        );
    }

    Assessment {
        classification,
        may_be_designated,
        designation_reasons: reasons,
        notification_required,
        notification_deadline: notification_deadline_date,
        earliest_reassessment,
        steps,
        obligations,
        labels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn gpai_with(compute: f64) -> ModelFacts {
        ModelFacts {
            general_purpose: Some(true),
            training_compute_flop: Some(compute),
            role: Some(Role::Provider),
            ..ModelFacts::default()
        }
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn threshold_is_strictly_greater_than() {
        assert_eq!(
            classify(&gpai_with(1e25)).classification,
            Classification::Gpai
        );
        assert_eq!(
            classify(&gpai_with(1.0000001e25)).classification,
            Classification::SystemicRiskPresumed
        );
        assert_eq!(
            classify(&gpai_with(9.99e24)).classification,
            Classification::Gpai
        );
        assert_eq!(
            classify(&gpai_with(3e25)).classification,
            Classification::SystemicRiskPresumed
        );
        // The next double above 10^25 is presumed.
        let next = f64::from_bits(1e25_f64.to_bits() + 1);
        assert_eq!(
            classify(&gpai_with(next)).classification,
            Classification::SystemicRiskPresumed
        );
        assert!(!exceeds_systemic_risk_threshold(f64::NAN));
    }

    #[test]
    fn exact_threshold_trace_mentions_greater_than() {
        let a = classify(&gpai_with(1e25));
        let step = a
            .steps
            .iter()
            .find(|s| s.article.en == "art. 51(2)")
            .expect("threshold step");
        assert!(step.text.en.contains("is not greater than 10^25 FLOP"));
        assert!(step.text.en.contains("‘meets or exceeds’"));
        assert!(step.text.nl.contains("‘groter dan’"));
        let a = classify(&gpai_with(1.0000001e25));
        let step = a
            .steps
            .iter()
            .find(|s| s.article.en == "art. 51(2)")
            .unwrap();
        assert!(
            step.text.nl.contains("1,0000001 × 10^25 FLOP"),
            "{}",
            step.text.nl
        );
    }

    #[test]
    fn indicative_gpai_criterion() {
        let mut facts = ModelFacts {
            training_compute_flop: Some(1e23),
            generates: Modalities {
                language: true,
                ..Modalities::default()
            },
            ..ModelFacts::default()
        };
        assert_eq!(classify(&facts).classification, Classification::NotGpai);
        facts.training_compute_flop = Some(1.01e23);
        let a = classify(&facts);
        assert_eq!(a.classification, Classification::Gpai);
        assert_eq!(a.steps[0].article.en, "GPAI guidelines (July 2025)");
        assert!(a.steps[0].text.en.contains("not a legal rule"));
        // Compute alone is not enough.
        facts.generates = Modalities::default();
        assert_eq!(classify(&facts).classification, Classification::NotGpai);
        // Images or video count too.
        facts.generates.video = true;
        assert_eq!(classify(&facts).classification, Classification::Gpai);
        facts.generates = Modalities {
            images: true,
            ..Modalities::default()
        };
        assert_eq!(classify(&facts).classification, Classification::Gpai);
        // Unknown compute.
        facts.training_compute_flop = None;
        let a = classify(&facts);
        assert_eq!(a.classification, Classification::NotGpai);
        assert!(a.steps[0].text.en.contains("unknown"));
        // An explicit answer overrides the indicator.
        facts.general_purpose = Some(true);
        assert_eq!(classify(&facts).classification, Classification::Gpai);
        facts.general_purpose = Some(false);
        facts.training_compute_flop = Some(1e26);
        let a = classify(&facts);
        assert_eq!(a.classification, Classification::NotGpai);
        assert!(a.obligations.is_empty());
        assert!(a.labels.is_empty());
    }

    #[test]
    fn presumed_systemic_risk_details() {
        let mut facts = gpai_with(3e25);
        facts.threshold_date = Some(date("2025-12-25"));
        facts.open_source = true;
        let a = classify(&facts);
        assert_eq!(a.classification, Classification::SystemicRiskPresumed);
        assert!(a.notification_required);
        assert_eq!(a.notification_deadline, Some(date("2026-01-08")));
        assert!(!a.may_be_designated);
        let articles: Vec<&str> = a.steps.iter().map(|s| s.article.en.as_str()).collect();
        assert_eq!(
            articles,
            [
                "art. 3(63)",
                "art. 51(2)",
                "art. 52(1)",
                "art. 52(2)",
                "art. 52(3)",
                "art. 53(2)"
            ]
        );
        assert!(a.steps[2].text.nl.contains("8 januari 2026"));
        assert!(a.steps[5]
            .text
            .en
            .contains("does not apply to models with systemic risk"));
        let ids: Vec<&str> = a.obligations.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "notification",
                "technical-documentation",
                "downstream-information",
                "copyright-policy",
                "training-content-summary",
                "model-evaluation",
                "systemic-risk-mitigation",
                "serious-incidents",
                "cybersecurity"
            ]
        );
        assert_eq!(
            a.labels,
            [
                "ai-model-voor-algemene-doeleinden",
                "systeemrisico",
                "aanbieder",
                "open-source"
            ]
        );
    }

    #[test]
    fn open_source_exemption_without_systemic_risk() {
        let mut facts = gpai_with(5e24);
        facts.open_source = true;
        let a = classify(&facts);
        assert_eq!(a.classification, Classification::Gpai);
        let ids: Vec<&str> = a.obligations.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["copyright-policy", "training-content-summary"]);
        assert_eq!(
            a.labels,
            [
                "ai-model-voor-algemene-doeleinden",
                "geen-systeemrisico",
                "aanbieder",
                "open-source"
            ]
        );
        facts.open_source = false;
        let a = classify(&facts);
        assert_eq!(a.obligations.len(), 4);
        assert!(a.labels.contains(&"geen-open-source".to_string()));
    }

    #[test]
    fn designation_by_commission() {
        let mut facts = gpai_with(1e24);
        facts.designated_by_commission = true;
        facts.designation_date = Some(date("2025-08-31"));
        facts.open_source = true;
        let a = classify(&facts);
        assert_eq!(a.classification, Classification::SystemicRiskDesignated);
        assert_eq!(a.earliest_reassessment, Some(date("2026-02-28")));
        assert!(!a.notification_required);
        assert_eq!(a.obligations.len(), 8);
        assert!(a.steps.iter().any(|s| s.article.en == "art. 52(4)"));
        let step = a
            .steps
            .iter()
            .find(|s| s.article.en == "art. 52(5)")
            .unwrap();
        assert!(step.text.nl.contains("28 februari 2026"));
        facts.designation_date = Some(date("2027-08-31"));
        assert_eq!(
            classify(&facts).earliest_reassessment,
            Some(date("2028-02-29"))
        );
        // Designated and above the threshold: notification still required.
        facts.training_compute_flop = Some(2e25);
        let a = classify(&facts);
        assert_eq!(a.classification, Classification::SystemicRiskDesignated);
        assert!(a.notification_required);
        // Designation implies a GPAI model.
        facts.general_purpose = Some(false);
        let a = classify(&facts);
        assert_eq!(a.classification, Classification::SystemicRiskDesignated);
        assert!(a.steps.iter().any(|s| s.article.en == "art. 51(1)(b)"));
    }

    #[test]
    fn may_be_designated_business_users_boundary() {
        let mut facts = gpai_with(1e24);
        facts.annex_xiii.registered_business_users = Some(9_999);
        let a = classify(&facts);
        assert!(!a.may_be_designated);
        assert!(a.designation_reasons.is_empty());
        assert!(a
            .steps
            .iter()
            .any(|s| s.text.en.contains("fewer than 10 000")));
        facts.annex_xiii.registered_business_users = Some(10_000);
        let a = classify(&facts);
        assert!(a.may_be_designated);
        assert_eq!(a.classification, Classification::Gpai);
        assert_eq!(a.designation_reasons.len(), 1);
        assert_eq!(
            a.designation_reasons[0].criterion,
            AnnexXiiiCriterion::MarketReach
        );
        assert_eq!(a.designation_reasons[0].article.en, "Annex XIII, point (f)");
        assert_eq!(a.designation_reasons[0].article.nl, "bijlage XIII, punt f");
        assert!(a.labels.contains(&"geen-systeemrisico".to_string()));
    }

    #[test]
    fn may_be_designated_checklist() {
        let mut facts = gpai_with(1e24);
        facts.annex_xiii = AnnexXiii {
            parameters: true,
            dataset: true,
            compute: true,
            modalities: true,
            benchmarks: true,
            market_reach: true,
            registered_business_users: None,
            end_users: true,
        };
        let a = classify(&facts);
        assert!(a.may_be_designated);
        let points: String = a
            .designation_reasons
            .iter()
            .map(|r| r.criterion.point())
            .collect();
        assert_eq!(points, "abcdefg");
        let step = a
            .steps
            .iter()
            .find(|s| s.article.en == "art. 51(1)(b), art. 52(4)")
            .unwrap();
        assert!(step.text.en.starts_with("The Commission may designate"));
        // Not relevant once presumed.
        facts.training_compute_flop = Some(2e25);
        let a = classify(&facts);
        assert!(!a.may_be_designated);
        // Nor for a non-GPAI model.
        facts.general_purpose = Some(false);
        assert!(!classify(&facts).may_be_designated);
    }

    #[test]
    fn deployer_is_told_obligations_are_the_providers() {
        let mut facts = gpai_with(1e24);
        facts.role = Some(Role::Deployer);
        let a = classify(&facts);
        assert!(a.steps.iter().any(|s| s.article.en == "art. 3(3)"));
        assert!(!a.labels.contains(&"aanbieder".to_string()));
    }

    #[test]
    fn labels_only_from_known_slugs() {
        let a = classify(&gpai_with(3e25));
        for l in &a.labels {
            assert!(LABELS.contains(&l.as_str()));
        }
    }

    #[test]
    fn deadlines() {
        assert_eq!(
            notification_deadline(date("2025-08-25")),
            Some(date("2025-09-08"))
        );
        assert_eq!(
            notification_deadline(date("2025-12-20")),
            Some(date("2026-01-03"))
        );
        assert_eq!(
            notification_deadline(date("2028-02-20")),
            Some(date("2028-03-05"))
        );
        assert_eq!(notification_deadline(date("9999-12-30")), None);
        assert_eq!(
            earliest_reassessment_request(date("2025-08-31")),
            Some(date("2026-02-28"))
        );
        assert_eq!(
            earliest_reassessment_request(date("2027-08-31")),
            Some(date("2028-02-29"))
        );
        assert_eq!(
            earliest_reassessment_request(date("2025-09-15")),
            Some(date("2026-03-15"))
        );
        assert_eq!(earliest_reassessment_request(date("9999-07-01")), None);
    }

    #[test]
    fn facts_from_partial_json() {
        let facts: ModelFacts = serde_json::from_str(
            r#"{"generalPurpose":true,"trainingComputeFlop":3e25,"thresholdDate":"2025-08-01","annexXiii":{"registeredBusinessUsers":12000}}"#,
        )
        .unwrap();
        let a = classify(&facts);
        assert_eq!(a.classification, Classification::SystemicRiskPresumed);
        assert_eq!(a.notification_deadline, Some(date("2025-08-15")));
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["classification"], "systemic-risk-presumed");
        assert_eq!(json["notificationDeadline"], "2025-08-15");
    }

    #[test]
    fn garbage_compute_is_ignored() {
        let a = classify(&gpai_with(f64::NAN));
        assert_eq!(a.classification, Classification::Gpai);
        let a = classify(&gpai_with(f64::INFINITY));
        assert_eq!(a.classification, Classification::Gpai);
        let a = classify(&gpai_with(-1e30));
        assert_eq!(a.classification, Classification::Gpai);
    }

    fn arb_facts() -> impl Strategy<Value = ModelFacts> {
        (
            prop::option::of(any::<bool>()),
            any::<[bool; 3]>(),
            any::<[bool; 3]>(),
            prop::option::of(0u64..20_000),
            any::<[bool; 6]>(),
        )
            .prop_map(|(gp, m, flags, users, annex)| ModelFacts {
                general_purpose: gp,
                training_compute_flop: None,
                generates: Modalities {
                    language: m[0],
                    images: m[1],
                    video: m[2],
                },
                role: if flags[0] {
                    Some(Role::Provider)
                } else {
                    Some(Role::Deployer)
                },
                open_source: flags[1],
                designated_by_commission: flags[2],
                designation_date: None,
                threshold_date: None,
                annex_xiii: AnnexXiii {
                    parameters: annex[0],
                    dataset: annex[1],
                    compute: annex[2],
                    modalities: annex[3],
                    benchmarks: annex[4],
                    market_reach: annex[5],
                    registered_business_users: users,
                    end_users: false,
                },
            })
    }

    fn arb_compute() -> impl Strategy<Value = f64> {
        prop_oneof![
            0.0f64..1e30,
            (15i32..30).prop_map(|e| 10f64.powi(e)),
            Just(1e23),
            Just(1e25),
            Just(1.0000001e25),
        ]
    }

    proptest! {
        #[test]
        fn more_compute_never_lowers_classification(
            facts in arb_facts(), a in arb_compute(), b in arb_compute()
        ) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let mut f_lo = facts.clone();
            f_lo.training_compute_flop = Some(lo);
            let mut f_hi = facts;
            f_hi.training_compute_flop = Some(hi);
            let c_lo = classify(&f_lo).classification;
            let c_hi = classify(&f_hi).classification;
            prop_assert!(c_lo.rank() <= c_hi.rank(), "{:?} at {} > {:?} at {}", c_lo, lo, c_hi, hi);
        }

        #[test]
        fn every_step_cites_an_article(facts in arb_facts(), c in arb_compute()) {
            let mut facts = facts;
            facts.training_compute_flop = Some(c);
            let a = classify(&facts);
            prop_assert!(!a.steps.is_empty());
            for s in &a.steps {
                prop_assert!(!s.article.nl.is_empty() && !s.article.en.is_empty());
                prop_assert!(!s.text.nl.is_empty() && !s.text.en.is_empty());
            }
            for l in &a.labels {
                prop_assert!(LABELS.contains(&l.as_str()));
            }
            prop_assert_eq!(a.may_be_designated, !a.designation_reasons.is_empty());
        }
    }
}
