//! Obsidian block ids: a trailing ` ^id` at the end of a paragraph, list
//! item or table row names that block, so `page.md#^id` can link to it.

/// If `text` ends with ` ^id`, returns the text without it and the id.
pub fn split(text: &str) -> Option<(&str, &str)> {
    let t = text.trim_end();
    let caret = t.rfind('^')?;
    let id = &t[caret + 1..];
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let before = &t[..caret];
    if !(before.is_empty() || before.ends_with([' ', '\t'])) {
        return None;
    }
    Some((before.trim_end(), id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_ids() {
        assert_eq!(
            split("Een risico ^sysrisk"),
            Some(("Een risico", "sysrisk"))
        );
        assert_eq!(split("^only"), Some(("", "only")));
        assert_eq!(split("10^25"), None);
        assert_eq!(split("x ^a b"), None);
        assert_eq!(split("x ^"), None);
    }
}
