//! Code highlighting with syntect, emitting CSS classes (`hl-…`) rather
//! than inline styles, so pages work under a strict Content-Security-Policy.
//! The syntax definitions load lazily, the first time a page has code.

use super::escape::escape_html;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Shared by all pages of one build.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Highlighter")
    }
}

impl Highlighter {
    /// The `<pre>` block for `code` in language `lang` (plain if unknown).
    pub fn block(&self, lang: &str, code: &str) -> String {
        let lang_class = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", escape_html(lang))
        };
        if !lang.is_empty() {
            let ss = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
            if let Some(syntax) = ss.find_syntax_by_token(lang) {
                let mut gen = ClassedHTMLGenerator::new_with_class_style(
                    syntax,
                    ss,
                    ClassStyle::SpacedPrefixed { prefix: "hl-" },
                );
                let ok = LinesWithEndings::from(code)
                    .all(|line| gen.parse_html_for_line_which_includes_newline(line).is_ok());
                if ok {
                    return format!(
                        "<pre class=\"highlight\"><code{lang_class}>{}</code></pre>\n",
                        gen.finalize()
                    );
                }
            }
        }
        format!(
            "<pre><code{lang_class}>{}</code></pre>\n",
            escape_html(code)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_not_styles() {
        let h = Highlighter::default();
        let html = h.block("python", "def f(x):\n    return \"<a>\"\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="));
        assert!(html.contains("&lt;a&gt;"));
        let plain = h.block("onbekend", "<x>");
        assert_eq!(
            plain,
            "<pre><code class=\"language-onbekend\">&lt;x&gt;</code></pre>\n"
        );
    }
}
