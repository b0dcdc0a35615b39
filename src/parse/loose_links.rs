//! Link destinations with spaces, as Python-Markdown reads them:
//! `[Download](documenten/AIG self-assessment v4.xlsx)`. CommonMark allows
//! spaces only inside `<…>`, so such a link would print as text; the
//! destination is wrapped in `<…>` before parsing (see
//! [`super::containers`], which keeps the offsets mapped).

/// The byte ranges of the destinations in `line` that need `<…>`: after
/// `](`, up to the closing `)`, containing a space but no quote (a title),
/// no `<` and no line break, outside code spans.
pub fn destinations(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if !line.contains("](") {
        return out;
    }
    let b = line.as_bytes();
    let mut i = 0;
    let mut in_code = 0usize;
    while i < b.len() {
        match b[i] {
            b'`' => {
                let run = b[i..].iter().take_while(|c| **c == b'`').count();
                in_code = if in_code == 0 {
                    run
                } else if in_code == run {
                    0
                } else {
                    in_code
                };
                i += run;
                continue;
            }
            b'\\' => {
                i += 2;
                continue;
            }
            b']' if in_code == 0 && b.get(i + 1) == Some(&b'(') => {
                let start = i + 2;
                let mut depth = 0i32;
                let mut end = None;
                for (k, &c) in b[start..].iter().enumerate() {
                    match c {
                        b'(' => depth += 1,
                        b')' if depth == 0 => {
                            end = Some(start + k);
                            break;
                        }
                        b')' => depth -= 1,
                        _ => {}
                    }
                }
                if let Some(end) = end {
                    let dest = &line[start..end];
                    let trimmed = dest.trim();
                    if trimmed.contains(' ')
                        && !trimmed.starts_with('<')
                        && !dest.contains(['"', '\'', '<', '>', '\t'])
                    {
                        let lead = dest.len() - dest.trim_start().len();
                        out.push((start + lead, start + lead + trimmed.len()));
                    }
                    i = end + 1;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_with_spaces() {
        let l = "[Download](documenten/AIG self-assessment v4.xlsx){ .button } en [x](y.md)";
        let d = destinations(l);
        assert_eq!(d.len(), 1);
        assert_eq!(&l[d[0].0..d[0].1], "documenten/AIG self-assessment v4.xlsx");
        assert!(destinations("[a](b \"titel\")").is_empty());
        assert!(destinations("[a](<b c>)").is_empty());
        assert!(destinations("`[a](b c)`").is_empty());
        assert!(destinations("[a](b c").is_empty());
        let l = "[a]( b c (1).pdf )";
        let d = destinations(l);
        assert_eq!(&l[d[0].0..d[0].1], "b c (1).pdf");
    }
}
