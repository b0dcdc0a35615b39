//! The stable diagnostic codes. A code never changes meaning once published;
//! the `kind` name is what site.toml's `[severity]` table uses.

use super::Severity;
use std::collections::BTreeMap;

macro_rules! codes {
    ($( $variant:ident = $id:literal, $kind:literal, $sev:ident, $doc:literal; )*) => {
        /// A kind of finding, with a stable code such as `K0201`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $( #[doc = $doc] $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable code, e.g. `K0201`.
            pub fn id(self) -> &'static str {
                match self { $( Code::$variant => $id, )* }
            }

            /// The snake_case name used in site.toml's `[severity]` table.
            pub fn kind(self) -> &'static str {
                match self { $( Code::$variant => $kind, )* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }

            /// One line describing the finding, for documentation.
            pub fn description(self) -> &'static str {
                match self { $( Code::$variant => $doc, )* }
            }

            pub fn from_id(id: &str) -> Option<Code> {
                Self::ALL.iter().copied().find(|c| c.id() == id)
            }
        }
    };
}

codes! {
    // K00xx: files and configuration
    Unreadable = "K0001", "unreadable_file", Error, "A file could not be read.";
    InvalidUtf8 = "K0002", "invalid_utf8", Error, "A text file is not valid UTF-8.";
    Config = "K0003", "config", Error, "site.toml is missing, malformed or inconsistent.";
    Template = "K0004", "template", Error, "A template failed to parse or render.";
    SymlinkSkipped = "K0005", "symlink", Warning, "A symbolic link was not followed.";
    DuplicateUrl = "K0006", "duplicate_url", Error, "Two files produce the same URL.";
    TooLarge = "K0007", "too_large", Error, "A file or construct exceeds a documented limit.";
    UnsupportedSetting = "K0008", "unsupported_setting", Warning, "An imported setting has no kader equivalent.";
    // K01xx: front matter
    FrontMatterSyntax = "K0101", "front_matter_syntax", Error, "Front matter is not valid YAML.";
    FrontMatterNotMapping = "K0102", "front_matter_shape", Error, "Front matter is not a mapping of keys to values.";
    MissingField = "K0103", "missing_field", Error, "A required front-matter field is missing.";
    FieldType = "K0104", "field_type", Error, "A front-matter field has the wrong type.";
    UnknownField = "K0105", "unknown_field", Warning, "An undeclared front-matter key is close to a declared one.";
    UnclosedFrontMatter = "K0106", "unclosed_front_matter", Error, "Front matter starts with --- but never ends.";
    UnsafeValue = "K0107", "unsafe_value", Warning, "A front-matter value contains HTML markup; it is shown as text.";
    DuplicateKey = "K0108", "duplicate_key", Error, "Front matter has the same key twice.";
    // K02xx: taxonomies and references in front matter
    UnknownTaxonomy = "K0201", "unknown_taxonomy", Error, "A directive filters on a taxonomy that is not configured.";
    UnknownTerm = "K0202", "unknown_term", Error, "A term is not among its taxonomy's allowed terms.";
    UnknownReference = "K0203", "unknown_reference", Error, "A front-matter reference names no page of its collection.";
    DuplicateId = "K0204", "duplicate_id", Error, "Two pages declare the same `id`.";
    // K03xx: directives
    UnknownDirective = "K0301", "unknown_directive", Error, "A comment looks like a directive but is not a known one.";
    DirectiveArgument = "K0302", "directive_argument", Error, "A directive argument is malformed or not allowed here.";
    EmptyList = "K0303", "empty_list", Warning, "A valid list directive matches no page.";
    // K04xx: links and anchors
    BrokenPageLink = "K0401", "broken_page_link", Error, "A link points to a page that does not exist.";
    BrokenAnchor = "K0402", "broken_anchor", Error, "A link points to a heading id that does not exist.";
    BrokenBlockRef = "K0403", "broken_block_ref", Error, "A link points to a block id that does not exist.";
    BrokenAsset = "K0404", "broken_asset", Error, "A link or image points to a file that does not exist.";
    DuplicateHeadingId = "K0405", "duplicate_heading_id", Warning, "Two headings in one page share an explicit id.";
    DuplicateBlockId = "K0406", "duplicate_block_id", Error, "Two blocks in one page share a block id.";
    LinkOutsideRoot = "K0407", "link_outside_root", Error, "A link climbs out of the content folder.";
    LinkToDraft = "K0408", "link_to_draft", Error, "A link points to a draft page, which is not published.";
    MalformedUrl = "K0409", "malformed_url", Error, "An external link is not a well-formed URL.";
    BrokenGeneratedLink = "K0410", "broken_generated_link", Error, "A link generated by a template points nowhere.";
    // K05xx: Markdown dialect
    MarkdownStructure = "K0501", "markdown_structure", Warning, "A dialect construct is malformed.";
    NestingTooDeep = "K0502", "nesting_too_deep", Error, "Nesting exceeds the supported depth.";
    RawHtml = "K0503", "raw_html", Error, "Raw HTML is used while site.toml forbids it.";
    InlineScript = "K0504", "inline_script", Warning, "Raw HTML has an event handler or a javascript: URL, which the Content-Security-Policy does not run; it is removed.";
    InlineStyle = "K0505", "inline_style", Warning, "A `style` attribute cannot become a class of the generated stylesheet (it would load a file, or is not CSS); it is removed.";
    Diagram = "K0506", "diagram", Warning, "A diagram cannot be drawn as written: another kind than a Mermaid flowchart, a statement kader does not read, or a layout that failed (its nodes and edges are then shown as a list).";
    MissingIcon = "K0507", "missing_icon", Warning, "An icon shortcode (`:material-…:`) names an icon set that is not installed or an icon it does not have; the shortcode is shown as text.";
    // K06xx: languages
    MissingTranslation = "K0601", "missing_translation", Warning, "A page has no translation in another configured language.";
    StaleTranslation = "K0602", "stale_translation", Warning, "A translation's taxonomy terms differ from its original.";
    UnknownLanguage = "K0603", "unknown_language", Error, "A file's language suffix is not configured.";
    // K07xx: decision trees
    TreeSyntax = "K0701", "tree_syntax", Error, "A decision tree file is not valid YAML of the expected shape.";
    TreeProblem = "K0702", "tree_problem", Error, "A decision tree is inconsistent.";
    TreeWarning = "K0703", "tree_warning", Warning, "A decision tree has a link no walk takes, a question or conclusion no walk reaches, or a field kader does not use.";
    UnmappedLabel = "K0704", "unmapped_label", Warning, "A label a decision tree can produce maps to no term (site.toml `[decision_aid]`).";
    BadException = "K0705", "bad_exception", Error, "An exception entry (`uitzondering:`) does not parse or names no taxonomy term.";
    // K08xx: navigation and the site's look
    OrphanPages = "K0801", "orphan_pages", Warning, "Pages that no menu and no other page links to (one warning listing them).";
    LowContrast = "K0802", "low_contrast", Warning, "Two colours of the palette that are shown together have less contrast than WCAG AA's 4.5:1.";
    ForeignCss = "K0803", "foreign_css", Warning, "A site stylesheet has rules for another theme's classes (MkDocs Material's `.md-…`), which kader's pages do not have.";
    MissingSiteFile = "K0804", "missing_site_file", Warning, "A file the configuration names (stylesheet, logo, favicon) does not exist; it is left out.";
}

/// Severity overrides from site.toml's `[severity]` table: `kind = "error" | "warning" | "off"`.
#[derive(Debug, Default, Clone)]
pub struct SeverityOverrides {
    by_code: BTreeMap<&'static str, Option<Severity>>,
}

impl SeverityOverrides {
    /// Sets the severity for a finding kind (`None` = off). Accepts the kind
    /// name (`broken_anchor`) or the code (`K0402`).
    pub fn set(&mut self, kind: &str, severity: Option<Severity>) -> Result<(), String> {
        let code = Code::ALL
            .iter()
            .copied()
            .find(|c| c.kind() == kind || c.id() == kind)
            .ok_or_else(|| {
                let hint = super::did_you_mean(kind, Code::ALL.iter().map(|c| c.kind()))
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                format!("unknown finding kind `{kind}`{hint}")
            })?;
        self.by_code.insert(code.id(), severity);
        Ok(())
    }

    /// `None` when not overridden; `Some(None)` when switched off.
    pub fn severity_for(&self, code: &str) -> Option<Option<Severity>> {
        self.by_code.get(code).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_kinds_are_unique() {
        let mut ids: Vec<_> = Code::ALL.iter().map(|c| c.id()).collect();
        let mut kinds: Vec<_> = Code::ALL.iter().map(|c| c.kind()).collect();
        ids.sort();
        kinds.sort();
        let n = ids.len();
        ids.dedup();
        kinds.dedup();
        assert_eq!(ids.len(), n);
        assert_eq!(kinds.len(), n);
    }

    #[test]
    fn readme_documents_every_code() {
        let readme = include_str!("../../README.md");
        for c in Code::ALL {
            let row = format!(
                "| {} | `{}` | {} |",
                c.id(),
                c.kind(),
                c.default_severity().as_str()
            );
            assert!(readme.contains(&row), "README lacks the row `{row}`");
        }
    }

    #[test]
    fn unknown_kind_gets_a_hint() {
        let mut o = SeverityOverrides::default();
        let err = o.set("broken_anchr", None).unwrap_err();
        assert!(err.contains("did you mean `broken_anchor`"), "{err}");
    }
}
