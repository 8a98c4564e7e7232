//! String literals in the attribute: their value (escapes resolved, raw strings as
//! they are) and where they are, for errors.

use proc_macro2::{Literal, Span};

use crate::error::{Error, Result};

/// A string literal: its value and its span.
#[derive(Debug, Clone)]
pub struct LitStr {
    value: String,
    span: Span,
}

impl LitStr {
    /// The string's value.
    pub fn value(&self) -> String {
        self.value.clone()
    }

    /// Where it is written.
    pub fn span(&self) -> Span {
        self.span
    }

    /// `lit` as a string literal (`"..."` or a raw `r#"..."#`), or an error that says
    /// one is expected.
    pub fn parse(lit: &Literal) -> Result<LitStr> {
        let repr = lit.to_string();
        let value =
            unquote(&repr).ok_or_else(|| Error::new(lit.span(), "expected string literal"))?;
        Ok(LitStr {
            value,
            span: lit.span(),
        })
    }
}

/// The value of a string literal as the compiler wrote it back, or `None` for
/// another literal (a number, a byte string, a character, a suffixed string).
fn unquote(repr: &str) -> Option<String> {
    if let Some(raw) = repr.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let inner = raw.get(hashes..raw.len().checked_sub(hashes)?)?;
        return inner
            .strip_prefix('"')?
            .strip_suffix('"')
            .map(str::to_string);
    }
    let inner = repr.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                let byte = u8::from_str_radix(&hex, 16).ok().filter(u8::is_ascii)?;
                out.push(char::from(byte));
            }
            'u' => {
                if chars.next()? != '{' {
                    return None;
                }
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let code = u32::from_str_radix(&hex.replace('_', ""), 16).ok()?;
                out.push(char::from_u32(code)?);
            }
            // A line continuation: the newline and the whitespace after it vanish.
            '\n' => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_of_string_literals() {
        for (repr, value) in [
            (r#""a.yaml""#, "a.yaml"),
            (r#""tab\there""#, "tab\there"),
            (r#""q\"uote\\""#, "q\"uote\\"),
            (r#""\x41\u{1F600}""#, "A\u{1F600}"),
            (r##"r"raw\n""##, "raw\\n"),
            (r###"r#"has "quotes""#"###, "has \"quotes\""),
            ("\"line \\\n     joined\"", "line joined"),
        ] {
            assert_eq!(unquote(repr).as_deref(), Some(value), "{repr}");
        }
        for not in [
            "3",
            "'c'",
            r#"b"bytes""#,
            r#""x"suffix"#,
            r#""\q""#,
            r#""\xff""#,
        ] {
            assert_eq!(unquote(not), None, "{not}");
        }
    }
}
