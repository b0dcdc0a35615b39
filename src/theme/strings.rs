//! Per-language UI strings (`templates/i18n/<lang>.toml`).

use indexmap::IndexMap;

/// The string table of one language: nested TOML tables flattened to
/// dotted keys (`admonition.tip`).
#[derive(Debug, Clone, Default)]
pub struct Strings {
    flat: IndexMap<String, String>,
    tree: serde_json::Value,
}

impl Strings {
    /// Parses a TOML string table.
    pub fn parse(text: &str) -> Result<Strings, toml::de::Error> {
        let value: toml::Value = toml::from_str(text)?;
        let mut flat = IndexMap::new();
        flatten("", &value, &mut flat);
        let tree = serde_json::to_value(&value).unwrap_or(serde_json::Value::Null);
        Ok(Strings { flat, tree })
    }

    /// Adds keys of `base` that this table lacks (a language falls back to
    /// the built-in table of the same language).
    pub fn fill_from(&mut self, base: &Strings) {
        for (k, v) in &base.flat {
            self.flat.entry(k.clone()).or_insert_with(|| v.clone());
        }
        merge_json(&mut self.tree, &base.tree);
    }

    /// The string for `key`, or the key itself when it is missing.
    pub fn get(&self, key: &str) -> String {
        self.flat
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    pub fn lookup(&self, key: &str) -> Option<&str> {
        self.flat.get(key).map(String::as_str)
    }

    pub fn admonition_title(&self, kind: &str) -> Option<String> {
        self.flat.get(&format!("admonition.{kind}")).cloned()
    }

    /// The table as a nested value for templates (`t.skip_link`).
    pub fn as_json(&self) -> &serde_json::Value {
        &self.tree
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.flat.keys().map(String::as_str)
    }

    #[cfg(test)]
    pub fn for_tests() -> Strings {
        Strings::parse(include_str!("../../templates/i18n/nl.toml")).unwrap()
    }
}

fn flatten(prefix: &str, v: &toml::Value, out: &mut IndexMap<String, String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

fn merge_json(target: &mut serde_json::Value, base: &serde_json::Value) {
    match (target, base) {
        (serde_json::Value::Object(t), serde_json::Value::Object(b)) => {
            for (k, v) in b {
                match t.get_mut(k) {
                    Some(existing) => merge_json(existing, v),
                    None => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (t @ serde_json::Value::Null, b) => *t = b.clone(),
        _ => {}
    }
}
