//! The classify exports' safe functions, natively, on the government-shaped
//! fixture tree of kader-classify.

use kader_classify::Step;
use kader_wasm::classify::{applicable, estimate, open, step};
use serde_json::{json, Value};

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

fn bundle() -> String {
    let dir = "../classify/tests/fixtures/beslishulp";
    let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).unwrap();
    json!({
        "tree": yaml(&read("decision-tree.yaml")),
        "categories": yaml(&read("categories.yaml")),
        "definitions": yaml(&read("definitions.yaml")),
        "labelMap": {
            "groups": {"Soort toepassing": "soort-toepassing", "Risicogroep": "risicogroep"},
            "labels": {"AI-systeem": "ai-systeem", "hoog-risico AI": "hoog-risico-ai-systeem"},
            "ignore": ["aanbieder"]
        },
        "lang": "nl"
    })
    .to_string()
}

#[test]
fn a_session_runs_through_the_safe_api() {
    let h = open(&bundle());
    assert!(h > 0);
    assert_eq!(open("{"), 0);
    assert_eq!(open(r#"{"tree": {"questions": []}}"#), 0);
    let e: Value = serde_json::from_str(&estimate(
        0,
        r#"{"method":"parameters","parameters":"7e10","tokens":"1,5e12"}"#,
    ))
    .unwrap();
    assert_eq!(e["ok"], true);
    assert_eq!(
        e["estimate"]["formula"],
        "6 × 7,0 × 10^10 × 1,5 × 10^12 = 6,3 × 10^23 FLOP"
    );
    let e: Value =
        serde_json::from_str(&estimate(0, r#"{"method":"parameters","parameters":"-1"}"#)).unwrap();
    assert_eq!(e["ok"], false);
    assert_eq!(e["error"]["field"], "parameters");
    assert_eq!(e["error"]["kind"], "negative");
    // A walk, with a restore that stops at the first step that does not fit.
    let state = |s: String| serde_json::from_str::<Value>(&s).unwrap();
    let v = state(step(h, |w| w.answer(0)));
    assert_eq!(v["ok"], true);
    assert_eq!(v["state"]["question"]["questionId"], "1.1");
    assert_eq!(v["state"]["progress"][0]["status"], "done");
    assert_eq!(v["state"]["progress"][1]["status"], "current");
    let v = state(step(h, |w| w.restore(&[Step::Answer(0), Step::Answer(7)])));
    assert_eq!(v["ok"], false);
    assert_eq!(v["error"]["step"], 1);
    assert_eq!(v["error"]["kind"], "no-such-answer");
    assert_eq!(v["state"]["history"].as_array().unwrap().len(), 1);
    let v = state(step(h, |w| {
        w.restore(&[0, 0, 1, 0, 1, 1, 1].map(Step::Answer))
    }));
    assert_eq!(v["state"]["at"], "conclusion");
    assert_eq!(v["state"]["conclusion"]["conclusionId"], "c-hoog-risico");
    assert_eq!(
        v["state"]["profile"]["terms"],
        json!({"risicogroep": ["hoog-risico-ai-systeem"], "soort-toepassing": ["ai-systeem"]})
    );
    assert_eq!(v["state"]["groups"][1]["text"], Value::Null);
    let v = state(step(999, |_| Ok(())));
    assert_eq!(v["error"]["kind"], "handle");
}

#[test]
fn applicability_through_json() {
    let r: Value = serde_json::from_str(&applicable(
        &json!({
            "profile": {"terms": {"risicogroep": ["hoog-risico-ai-systeem"]}},
            "pages": [
                {"slug": "a", "terms": {"risicogroep": ["hoog-risico-ai-systeem"]}},
                {"slug": "b", "terms": {"risicogroep": ["verboden-ai"]}},
                {"slug": "c", "uitzondering": ["risicogroep-hoog-risico-ai-systeem"]}
            ]
        })
        .to_string(),
    ))
    .unwrap();
    let applies: Vec<bool> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["applies"].as_bool().unwrap())
        .collect();
    assert_eq!(applies, [true, false, false]);
    assert_eq!(r["results"][2]["exception"]["index"], 0);
    let bad: Value = serde_json::from_str(&applicable("{")).unwrap();
    assert_eq!(bad["error"]["kind"], "json");
}
