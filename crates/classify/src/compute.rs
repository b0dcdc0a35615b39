//! Training compute: parsing user input, estimating it from model size or
//! hardware, and formatting numbers in scientific notation per language.
//!
//! Three ways to obtain the cumulative training compute in FLOP:
//!
//! * [`parse_compute`]: a number typed by a person (`1e25`, `10^25`,
//!   `1,2 × 10^24`, `3,1e24`, …);
//! * [`estimate_from_parameters`]: `C ≈ 6 · N · D` for dense transformers
//!   (N parameters, D training tokens);
//! * [`estimate_from_accelerators`]: `count × hours × 3600 × peak FLOP/s × utilisation`.
//!
//! All functions return errors (never panic) on any input.

use crate::text::{Lang, Text};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A quantity entered into one of the estimators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quantity {
    /// Number of model parameters (N).
    Parameters,
    /// Number of training tokens (D).
    Tokens,
    /// Number of accelerators (GPUs/TPUs).
    Accelerators,
    /// Training time in hours.
    Hours,
    /// Peak throughput of one accelerator in FLOP/s.
    PeakFlops,
    /// Utilisation (model FLOP utilisation), 0 < u ≤ 1.
    Utilisation,
}

impl Quantity {
    /// Human-readable name.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Quantity::Parameters, Lang::Nl) => "het aantal parameters",
            (Quantity::Parameters, Lang::En) => "the number of parameters",
            (Quantity::Tokens, Lang::Nl) => "het aantal trainingstokens",
            (Quantity::Tokens, Lang::En) => "the number of training tokens",
            (Quantity::Accelerators, Lang::Nl) => "het aantal accelerators",
            (Quantity::Accelerators, Lang::En) => "the number of accelerators",
            (Quantity::Hours, Lang::Nl) => "het aantal uren",
            (Quantity::Hours, Lang::En) => "the number of hours",
            (Quantity::PeakFlops, Lang::Nl) => "de piekrekenkracht per accelerator",
            (Quantity::PeakFlops, Lang::En) => "the peak throughput per accelerator",
            (Quantity::Utilisation, Lang::Nl) => "de benuttingsgraad",
            (Quantity::Utilisation, Lang::En) => "the utilisation",
        }
    }
}

/// Why a compute value could not be parsed or estimated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ComputeError {
    /// Nothing was entered.
    Empty,
    /// The value is negative.
    Negative,
    /// `NaN`, `inf` or similar.
    NotFinite,
    /// The value is too large to represent (overflows to infinity).
    Overflow,
    /// A character that does not belong in a number.
    UnexpectedCharacter {
        /// The offending character.
        character: char,
        /// 1-based character position in the input.
        column: usize,
    },
    /// Digits were expected (e.g. after `e`, `^` or `×`).
    MissingDigits {
        /// 1-based character position in the input where digits were expected.
        column: usize,
    },
    /// A power with a base other than 10 (e.g. `2^80`).
    UnsupportedBase,
    /// Digit groups separated by spaces or repeated separators
    /// (`5 000 000`, `5.000.000`): thousands separators are not supported.
    ThousandsSeparator,
    /// A single separator followed by exactly three digits (`1,000`,
    /// `1.000`) can mean one or one thousand.
    AmbiguousSeparator,
    /// Both `.` and `,` used in one number (`1.234,5`).
    MixedSeparators,
    /// An estimator input that must be greater than zero is not.
    NotPositive {
        /// Which input.
        quantity: Quantity,
    },
    /// The utilisation is not in the range 0 < u ≤ 1.
    UtilisationOutOfRange,
}

impl ComputeError {
    /// The error message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ComputeError::Empty, Lang::Nl) => "Vul een getal in.".into(),
            (ComputeError::Empty, Lang::En) => "Please enter a number.".into(),
            (ComputeError::Negative, Lang::Nl) => {
                "De rekenkracht kan niet negatief zijn.".into()
            }
            (ComputeError::Negative, Lang::En) => "Compute cannot be negative.".into(),
            (ComputeError::NotFinite, Lang::Nl) => {
                "Vul een eindig getal in (geen NaN of oneindig).".into()
            }
            (ComputeError::NotFinite, Lang::En) => {
                "Please enter a finite number (not NaN or infinity).".into()
            }
            (ComputeError::Overflow, Lang::Nl) => "Het getal is te groot.".into(),
            (ComputeError::Overflow, Lang::En) => "The number is too large.".into(),
            (ComputeError::UnexpectedCharacter { character, column }, Lang::Nl) => format!(
                "Onverwacht teken ‘{character}’ op positie {column}; gebruik bijvoorbeeld 1e25, 10^25 of 1,2 × 10^24."
            ),
            (ComputeError::UnexpectedCharacter { character, column }, Lang::En) => format!(
                "Unexpected character ‘{character}’ at position {column}; use for example 1e25, 10^25 or 1.2 × 10^24."
            ),
            (ComputeError::MissingDigits { column }, Lang::Nl) => {
                format!("Op positie {column} ontbreken cijfers.")
            }
            (ComputeError::MissingDigits { column }, Lang::En) => {
                format!("Digits are missing at position {column}.")
            }
            (ComputeError::UnsupportedBase, Lang::Nl) => {
                "Alleen machten van 10 worden ondersteund, zoals 10^25.".into()
            }
            (ComputeError::UnsupportedBase, Lang::En) => {
                "Only powers of 10 are supported, such as 10^25.".into()
            }
            (ComputeError::ThousandsSeparator, Lang::Nl) => {
                "Scheidingstekens voor duizendtallen worden niet ondersteund; schrijf 5000000 of 5e6.".into()
            }
            (ComputeError::ThousandsSeparator, Lang::En) => {
                "Thousands separators are not supported; write 5000000 or 5e6.".into()
            }
            (ComputeError::AmbiguousSeparator, Lang::Nl) => {
                "Dit getal is dubbelzinnig (bijvoorbeeld 1,000: één of duizend?); schrijf 1000, 1e3 of 1,0.".into()
            }
            (ComputeError::AmbiguousSeparator, Lang::En) => {
                "This number is ambiguous (for example 1,000: one or one thousand?); write 1000, 1e3 or 1.0.".into()
            }
            (ComputeError::MixedSeparators, Lang::Nl) => {
                "Gebruik een komma óf een punt als decimaalteken, niet allebei.".into()
            }
            (ComputeError::MixedSeparators, Lang::En) => {
                "Use either a comma or a point as the decimal separator, not both.".into()
            }
            (ComputeError::NotPositive { quantity }, Lang::Nl) => {
                format!("{} moet groter zijn dan nul.", capitalise(quantity.name(Lang::Nl)))
            }
            (ComputeError::NotPositive { quantity }, Lang::En) => {
                format!("{} must be greater than zero.", capitalise(quantity.name(Lang::En)))
            }
            (ComputeError::UtilisationOutOfRange, Lang::Nl) => {
                "De benuttingsgraad moet groter dan 0 en ten hoogste 1 zijn (bijvoorbeeld 0,4).".into()
            }
            (ComputeError::UtilisationOutOfRange, Lang::En) => {
                "The utilisation must be greater than 0 and at most 1 (for example 0.4).".into()
            }
        }
    }
}

impl fmt::Display for ComputeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ComputeError {}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

/// Parses a training-compute value in FLOP as typed by a person.
///
/// Accepted: `1e25`, `1E25`, `3.1E+24`, `3,1e24`, `10^25`, `10**25`, `10²⁵`,
/// `1,2 × 10^24`, `1.2 x 10^24`, `1,2·10^24`, `1.2*10^24`, plain decimals
/// (`5000000`, `0,4`), surrounding spaces and an optional `FLOP`/`FLOPs` unit.
/// Both `,` and `.` are decimal separators. Rejected with a
/// [`ComputeError`]: empty input, negatives, NaN/infinity, overflow, garbage,
/// thousands separators (`5 000 000`, `5.000.000`), ambiguous input
/// (`1,000`) and mixed separators (`1.234,5`).
pub fn parse_compute(input: &str) -> Result<f64, ComputeError> {
    let value = parse_number(input)?;
    if value.is_sign_negative() {
        return Err(ComputeError::Negative);
    }
    Ok(value)
}

/// Parses a number in the same notations as [`parse_compute`], but allows a
/// leading minus sign (`-`, `−`). Used for numeric questions of kind
/// `number`.
pub fn parse_number(input: &str) -> Result<f64, ComputeError> {
    let chars: Vec<char> = input.chars().collect();
    // Trim whitespace on both sides.
    let mut start = 0;
    while start < chars.len() && is_space(chars[start]) {
        start += 1;
    }
    let mut end = chars.len();
    while end > start && is_space(chars[end - 1]) {
        end -= 1;
    }
    // Optional unit suffix.
    for unit in ["flops", "flop"] {
        let n = unit.len();
        if end >= start + n {
            let tail: String = chars[end - n..end].iter().collect();
            if tail.eq_ignore_ascii_case(unit) {
                end -= n;
                while end > start && is_space(chars[end - 1]) {
                    end -= 1;
                }
                break;
            }
        }
    }
    if start == end {
        return Err(ComputeError::Empty);
    }
    let body = &chars[start..end];

    let mut p = NumberParser {
        chars: body,
        pos: 0,
        column_offset: start,
    };
    p.parse()
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}' || c == '\u{2009}'
}

fn is_multiplication(c: char) -> bool {
    matches!(c, '×' | 'x' | 'X' | '*' | '·' | '⋅' | '∙' | '•')
}

fn superscript_digit(c: char) -> Option<u32> {
    match c {
        '⁰' => Some(0),
        '¹' => Some(1),
        '²' => Some(2),
        '³' => Some(3),
        '⁴' => Some(4),
        '⁵' => Some(5),
        '⁶' => Some(6),
        '⁷' => Some(7),
        '⁸' => Some(8),
        '⁹' => Some(9),
        _ => None,
    }
}

const EXPONENT_CLAMP: i64 = 100_000;

struct NumberParser<'a> {
    chars: &'a [char],
    pos: usize,
    column_offset: usize,
}

struct Mantissa {
    int: String,
    frac: String,
    separators: usize,
    exponent: Option<i64>,
}

impl NumberParser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn column(&self) -> usize {
        self.column_offset + self.pos + 1
    }

    fn skip_spaces(&mut self) -> bool {
        let before = self.pos;
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
        self.pos > before
    }

    fn unexpected(&self) -> ComputeError {
        match self.peek() {
            Some(c) => ComputeError::UnexpectedCharacter {
                character: c,
                column: self.column(),
            },
            None => ComputeError::MissingDigits {
                column: self.column(),
            },
        }
    }

    fn parse(&mut self) -> Result<f64, ComputeError> {
        // Words for non-finite values.
        let word: String = self
            .chars
            .iter()
            .filter(|c| !matches!(c, '+' | '-' | '−'))
            .collect::<String>()
            .to_lowercase();
        if matches!(word.trim(), "nan" | "inf" | "infinity" | "∞" | "oneindig") {
            return Err(ComputeError::NotFinite);
        }

        let mut negative = false;
        match self.peek() {
            Some('-') | Some('−') => {
                negative = true;
                self.pos += 1;
            }
            Some('+') => self.pos += 1,
            _ => {}
        }

        let mantissa = self.parse_mantissa()?;
        let had_space = self.skip_spaces();

        let mut extra_exponent: i64 = 0;
        let mut has_power = false;
        // True for "10^k": the mantissa is the base of the power.
        let mut mantissa_is_base = false;
        match self.peek() {
            Some('^') => {
                self.require_ten(&mantissa)?;
                self.pos += 1;
                extra_exponent = self.parse_power_exponent()?;
                has_power = true;
                mantissa_is_base = true;
            }
            Some('*') if self.peek_at(1) == Some('*') => {
                self.require_ten(&mantissa)?;
                self.pos += 2;
                extra_exponent = self.parse_power_exponent()?;
                has_power = true;
                mantissa_is_base = true;
            }
            Some(c) if superscript_digit(c).is_some() || c == '⁻' || c == '⁺' => {
                self.require_ten(&mantissa)?;
                extra_exponent = self.parse_superscript_exponent()?;
                has_power = true;
                mantissa_is_base = true;
            }
            Some(c) if is_multiplication(c) => {
                self.pos += 1;
                self.skip_spaces();
                // Expect "10" then a power.
                let mut base = String::new();
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    base.push(d);
                    self.pos += 1;
                }
                if base.is_empty() {
                    return Err(self.unexpected());
                }
                if base != "10" {
                    return Err(ComputeError::UnsupportedBase);
                }
                self.skip_spaces();
                match self.peek() {
                    Some('^') => {
                        self.pos += 1;
                        extra_exponent = self.parse_power_exponent()?;
                    }
                    Some('*') if self.peek_at(1) == Some('*') => {
                        self.pos += 2;
                        extra_exponent = self.parse_power_exponent()?;
                    }
                    Some(c) if superscript_digit(c).is_some() || c == '⁻' || c == '⁺' => {
                        extra_exponent = self.parse_superscript_exponent()?;
                    }
                    // "2 × 10" means 20.
                    None => extra_exponent = 1,
                    Some(_) => return Err(self.unexpected()),
                }
                has_power = true;
            }
            Some(c) if had_space && (c.is_ascii_digit() || c == '.' || c == ',') => {
                return Err(ComputeError::ThousandsSeparator);
            }
            _ => {}
        }
        self.skip_spaces();
        if self.peek().is_some() {
            return Err(self.unexpected());
        }

        // "1,000" / "1.000": one or a thousand?
        if !has_power
            && mantissa.exponent.is_none()
            && mantissa.separators == 1
            && mantissa.frac.len() == 3
            && (1..=3).contains(&mantissa.int.len())
            && !mantissa.int.starts_with('0')
        {
            return Err(ComputeError::AmbiguousSeparator);
        }

        let (int, frac, exponent) = if mantissa_is_base {
            // Plain "10^k": the mantissa *is* the base.
            ("1".to_string(), "0".to_string(), extra_exponent)
        } else {
            let e = mantissa
                .exponent
                .unwrap_or(0)
                .saturating_add(extra_exponent)
                .clamp(-EXPONENT_CLAMP, EXPONENT_CLAMP);
            (mantissa.int, mantissa.frac, e)
        };
        let int = if int.is_empty() { "0".to_string() } else { int };
        let frac = if frac.is_empty() {
            "0".to_string()
        } else {
            frac
        };
        let text = format!("{int}.{frac}e{exponent}");
        let value: f64 = text.parse().map_err(|_| ComputeError::NotFinite)?;
        if !value.is_finite() {
            return Err(ComputeError::Overflow);
        }
        Ok(if negative { -value } else { value })
    }

    fn require_ten(&self, mantissa: &Mantissa) -> Result<(), ComputeError> {
        if mantissa.int == "10" && mantissa.separators == 0 && mantissa.exponent.is_none() {
            Ok(())
        } else {
            Err(ComputeError::UnsupportedBase)
        }
    }

    fn parse_mantissa(&mut self) -> Result<Mantissa, ComputeError> {
        let mut int = String::new();
        while let Some(d) = self.peek().filter(char::is_ascii_digit) {
            int.push(d);
            self.pos += 1;
        }
        let mut frac = String::new();
        let mut separators = 0;
        if let Some(sep) = self.peek().filter(|c| *c == '.' || *c == ',') {
            separators = 1;
            self.pos += 1;
            while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                frac.push(d);
                self.pos += 1;
            }
            if let Some(next) = self.peek().filter(|c| *c == '.' || *c == ',') {
                if next == sep {
                    return Err(ComputeError::ThousandsSeparator);
                }
                return Err(ComputeError::MixedSeparators);
            }
        }
        if int.is_empty() && frac.is_empty() {
            return Err(self.unexpected());
        }
        let mut exponent = None;
        if matches!(self.peek(), Some('e') | Some('E')) {
            self.pos += 1;
            exponent = Some(self.parse_signed_int()?);
        }
        Ok(Mantissa {
            int,
            frac,
            separators,
            exponent,
        })
    }

    fn parse_power_exponent(&mut self) -> Result<i64, ComputeError> {
        self.skip_spaces();
        // Allow "10^(25)" as well.
        if self.peek() == Some('(') {
            self.pos += 1;
            self.skip_spaces();
            let e = self.parse_signed_int()?;
            self.skip_spaces();
            if self.peek() != Some(')') {
                return Err(self.unexpected());
            }
            self.pos += 1;
            return Ok(e);
        }
        self.parse_signed_int()
    }

    fn parse_signed_int(&mut self) -> Result<i64, ComputeError> {
        let mut negative = false;
        match self.peek() {
            Some('-') | Some('−') => {
                negative = true;
                self.pos += 1;
            }
            Some('+') => self.pos += 1,
            _ => {}
        }
        let mut value: i64 = 0;
        let mut any = false;
        while let Some(d) = self
            .peek()
            .and_then(|c| c.to_digit(10).filter(|_| c.is_ascii_digit()))
        {
            value = value.saturating_mul(10).saturating_add(i64::from(d));
            any = true;
            self.pos += 1;
        }
        if !any {
            return Err(self.unexpected());
        }
        let value = value.min(EXPONENT_CLAMP);
        Ok(if negative { -value } else { value })
    }

    fn parse_superscript_exponent(&mut self) -> Result<i64, ComputeError> {
        let mut negative = false;
        match self.peek() {
            Some('⁻') => {
                negative = true;
                self.pos += 1;
            }
            Some('⁺') => self.pos += 1,
            _ => {}
        }
        let mut value: i64 = 0;
        let mut any = false;
        while let Some(d) = self.peek().and_then(superscript_digit) {
            value = value.saturating_mul(10).saturating_add(i64::from(d));
            any = true;
            self.pos += 1;
        }
        if !any {
            return Err(self.unexpected());
        }
        let value = value.min(EXPONENT_CLAMP);
        Ok(if negative { -value } else { value })
    }
}

// ---------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------

/// Formats a number for people: plain decimals for moderate values
/// (`3600`, `0,4`), otherwise scientific notation with 2 to 4 significant
/// digits (`6,3 × 10^23`). Dutch uses a decimal comma, English a point.
///
/// Non-finite values come out as `∞`, `-∞` or `NaN`; this never panics.
pub fn format_number(value: f64, lang: Lang) -> String {
    format_with(value, lang, 4)
}

/// Like [`format_number`] but keeps every significant digit needed to
/// reproduce `value` exactly (shortest round-trip form), so that
/// `1.0000001e25` is shown as `1,0000001 × 10^25` and not as `1,0 × 10^25`.
pub fn format_number_precise(value: f64, lang: Lang) -> String {
    format_with(value, lang, 17)
}

fn format_with(value: f64, lang: Lang, max_significant: usize) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 {
            "∞".into()
        } else {
            "-∞".into()
        };
    }
    if value == 0.0 {
        return "0".into();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let abs = value.abs();
    let (digits, exponent) = significant_digits(abs, max_significant);
    let decimal = match lang {
        Lang::Nl => ',',
        Lang::En => '.',
    };
    // Plain notation for 0.001 ≤ |v| < 1 000 000 when no precision is lost.
    if (-3..=5).contains(&exponent) {
        let plain = plain_from_digits(&digits, exponent, decimal);
        return format!("{sign}{plain}");
    }
    let mut mantissa = String::new();
    let mut chars = digits.chars();
    if let Some(first) = chars.next() {
        mantissa.push(first);
    }
    let rest: String = chars.collect();
    mantissa.push(decimal);
    if rest.is_empty() {
        mantissa.push('0');
    } else {
        mantissa.push_str(&rest);
    }
    format!("{sign}{mantissa} × 10^{exponent}")
}

/// Significant digits (trailing zeros removed, at least one digit) and the
/// decimal exponent of the first digit, rounded to `max_significant` digits.
fn significant_digits(abs: f64, max_significant: usize) -> (String, i32) {
    let repr = if max_significant >= 17 {
        format!("{abs:e}")
    } else {
        format!("{:.*e}", max_significant.saturating_sub(1), abs)
    };
    let (mant, exp) = match repr.split_once('e') {
        Some(parts) => parts,
        None => (repr.as_str(), "0"),
    };
    let exponent: i32 = exp.parse().unwrap_or(0);
    let mut digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    if digits.is_empty() {
        digits.push('0');
    }
    (digits, exponent)
}

fn plain_from_digits(digits: &str, exponent: i32, decimal: char) -> String {
    let len = digits.len() as i32;
    if exponent < 0 {
        let zeros = (-exponent - 1) as usize;
        format!("0{decimal}{}{digits}", "0".repeat(zeros))
    } else if exponent + 1 >= len {
        let zeros = (exponent + 1 - len) as usize;
        format!("{digits}{}", "0".repeat(zeros))
    } else {
        let split = (exponent + 1) as usize;
        let (a, b) = digits.split_at(split);
        format!("{a}{decimal}{b}")
    }
}

/// Formats `value` as `m × 10^e` with exactly two significant digits
/// (`7,0 × 10^10`), as used in formulas, regardless of magnitude.
pub fn format_scientific(value: f64, lang: Lang) -> String {
    if !value.is_finite() || value == 0.0 {
        return format_number(value, lang);
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let repr = format!("{:.1e}", value.abs());
    let (mant, exp) = repr.split_once('e').unwrap_or((repr.as_str(), "0"));
    let mant = match lang {
        Lang::Nl => mant.replace('.', ","),
        Lang::En => mant.to_string(),
    };
    format!("{sign}{mant} × 10^{exp}")
}

// ---------------------------------------------------------------------------
// Estimates
// ---------------------------------------------------------------------------

/// A training-compute value with the calculation that produced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Cumulative training compute in FLOP.
    pub flop: f64,
    /// The formula with the figures filled in, e.g.
    /// `6 × 7,0 × 10^10 × 1,5 × 10^12 = 6,3 × 10^23 FLOP`.
    pub formula: Text,
}

/// How the training compute is obtained: one of the three inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "kebab-case")]
pub enum ComputeInput {
    /// Entered directly, parsed with [`parse_compute`].
    Direct {
        /// The text as typed.
        value: String,
    },
    /// `C ≈ 6 · N · D` (dense transformers).
    Parameters {
        /// Number of parameters N.
        parameters: f64,
        /// Number of training tokens D.
        tokens: f64,
    },
    /// `count × hours × 3600 × peak FLOP/s × utilisation`.
    Accelerators {
        /// Number of accelerators.
        count: f64,
        /// Training time in hours.
        hours: f64,
        /// Peak throughput of one accelerator in FLOP/s.
        peak_flops: f64,
        /// Utilisation, 0 < u ≤ 1.
        utilisation: f64,
    },
}

impl ComputeInput {
    /// Computes the training compute for this input.
    pub fn evaluate(&self) -> Result<Estimate, ComputeError> {
        match self {
            ComputeInput::Direct { value } => estimate_direct(value),
            ComputeInput::Parameters { parameters, tokens } => {
                estimate_from_parameters(*parameters, *tokens)
            }
            ComputeInput::Accelerators {
                count,
                hours,
                peak_flops,
                utilisation,
            } => estimate_from_accelerators(*count, *hours, *peak_flops, *utilisation),
        }
    }
}

/// The estimator's form as a user interface sends it: every figure as
/// typed (`1,5e12`, `70 × 10^9`; the utilisation also as `40%`).
///
/// ```
/// use kader_classify::compute::{EstimateRequest, ComputeInput};
/// let r: EstimateRequest = serde_json::from_str(
///     r#"{"method":"accelerators","count":"25000","hours":"2400","peakFlops":"9,89e14","utilisation":"40%"}"#,
/// ).unwrap();
/// let ComputeInput::Accelerators { utilisation, .. } = r.input().unwrap() else { panic!() };
/// assert_eq!(utilisation, 0.4);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EstimateRequest {
    /// `direct` (the default), `parameters` or `accelerators`.
    pub method: String,
    /// The value itself (`direct`).
    pub value: String,
    /// N (`parameters`).
    pub parameters: String,
    /// D (`parameters`).
    pub tokens: String,
    /// Number of accelerators.
    pub count: String,
    /// Training time in hours.
    pub hours: String,
    /// Peak FLOP/s per accelerator.
    pub peak_flops: String,
    /// Utilisation: a fraction or a percentage.
    pub utilisation: String,
}

/// An estimator input that could not be read, with the form field it is
/// about (`value`, `parameters`, `tokens`, `count`, `hours`, `peakFlops`,
/// `utilisation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field.
    pub field: &'static str,
    /// What is wrong with it.
    pub error: ComputeError,
}

impl EstimateRequest {
    fn figure(&self, field: &'static str, percent: bool) -> Result<f64, FieldError> {
        let raw = match field {
            "parameters" => &self.parameters,
            "tokens" => &self.tokens,
            "count" => &self.count,
            "hours" => &self.hours,
            "peakFlops" => &self.peak_flops,
            _ => &self.utilisation,
        };
        let err = |error| FieldError { field, error };
        let t = raw.trim();
        if percent {
            if let Some(p) = t.strip_suffix('%') {
                return parse_number(p).map(|x| x / 100.0).map_err(err);
            }
        }
        let x = parse_number(t).map_err(err)?;
        if x < 0.0 {
            return Err(err(ComputeError::Negative));
        }
        Ok(x)
    }

    /// The figures as a [`ComputeInput`].
    pub fn input(&self) -> Result<ComputeInput, FieldError> {
        Ok(match self.method.as_str() {
            "parameters" => ComputeInput::Parameters {
                parameters: self.figure("parameters", false)?,
                tokens: self.figure("tokens", false)?,
            },
            "accelerators" => ComputeInput::Accelerators {
                count: self.figure("count", false)?,
                hours: self.figure("hours", false)?,
                peak_flops: self.figure("peakFlops", false)?,
                utilisation: self.figure("utilisation", true)?,
            },
            _ => ComputeInput::Direct {
                value: self.value.clone(),
            },
        })
    }

    /// Evaluates the request; an error names the field it is about.
    pub fn evaluate(&self) -> Result<Estimate, FieldError> {
        let input = self.input()?;
        input.evaluate().map_err(|error| FieldError {
            field: error_field(&input, &error),
            error,
        })
    }
}

/// The form field an estimation error is about.
fn error_field(input: &ComputeInput, e: &ComputeError) -> &'static str {
    match (input, e) {
        (_, ComputeError::NotPositive { quantity }) => match quantity {
            Quantity::Parameters => "parameters",
            Quantity::Tokens => "tokens",
            Quantity::Accelerators => "count",
            Quantity::Hours => "hours",
            Quantity::PeakFlops => "peakFlops",
            Quantity::Utilisation => "utilisation",
        },
        (_, ComputeError::UtilisationOutOfRange) => "utilisation",
        (ComputeInput::Parameters { .. }, _) => "parameters",
        (ComputeInput::Accelerators { .. }, _) => "count",
        (ComputeInput::Direct { .. }, _) => "value",
    }
}

/// Parses a directly entered value; the formula is just the value
/// (`3,1 × 10^24 FLOP`).
pub fn estimate_direct(input: &str) -> Result<Estimate, ComputeError> {
    let flop = parse_compute(input)?;
    Ok(Estimate {
        flop,
        formula: Text::new(
            format!("{} FLOP", format_number_precise(flop, Lang::Nl)),
            format!("{} FLOP", format_number_precise(flop, Lang::En)),
        ),
    })
}

fn require_positive(value: f64, quantity: Quantity) -> Result<(), ComputeError> {
    if value.is_nan() || value.is_infinite() {
        return Err(ComputeError::NotFinite);
    }
    if value <= 0.0 {
        return Err(ComputeError::NotPositive { quantity });
    }
    Ok(())
}

/// Estimates training compute for a dense transformer: `C ≈ 6 · N · D`,
/// with N parameters and D training tokens.
///
/// ```
/// use kader_classify::compute::estimate_from_parameters;
/// let e = estimate_from_parameters(7e10, 1.5e12).unwrap();
/// assert_eq!(e.formula.nl, "6 × 7,0 × 10^10 × 1,5 × 10^12 = 6,3 × 10^23 FLOP");
/// ```
pub fn estimate_from_parameters(parameters: f64, tokens: f64) -> Result<Estimate, ComputeError> {
    require_positive(parameters, Quantity::Parameters)?;
    require_positive(tokens, Quantity::Tokens)?;
    let flop = 6.0 * parameters * tokens;
    if !flop.is_finite() {
        return Err(ComputeError::Overflow);
    }
    let formula = |lang: Lang| {
        format!(
            "6 × {} × {} = {} FLOP",
            format_scientific(parameters, lang),
            format_scientific(tokens, lang),
            format_scientific(flop, lang)
        )
    };
    Ok(Estimate {
        flop,
        formula: Text::new(formula(Lang::Nl), formula(Lang::En)),
    })
}

/// Estimates training compute from the hardware used:
/// `count × hours × 3600 s/h × peak FLOP/s × utilisation`.
///
/// `utilisation` must satisfy 0 < u ≤ 1; all other inputs must be > 0.
pub fn estimate_from_accelerators(
    count: f64,
    hours: f64,
    peak_flops: f64,
    utilisation: f64,
) -> Result<Estimate, ComputeError> {
    require_positive(count, Quantity::Accelerators)?;
    require_positive(hours, Quantity::Hours)?;
    require_positive(peak_flops, Quantity::PeakFlops)?;
    if utilisation.is_nan() || utilisation.is_infinite() {
        return Err(ComputeError::NotFinite);
    }
    if !(utilisation > 0.0 && utilisation <= 1.0) {
        return Err(ComputeError::UtilisationOutOfRange);
    }
    let flop = count * hours * 3600.0 * peak_flops * utilisation;
    if !flop.is_finite() {
        return Err(ComputeError::Overflow);
    }
    let formula = |lang: Lang| {
        let (h, per_h) = match lang {
            Lang::Nl => ("u", "s/u"),
            Lang::En => ("h", "s/h"),
        };
        format!(
            "{} × {} {h} × 3600 {per_h} × {} FLOP/s × {} = {} FLOP",
            format_number(count, lang),
            format_number(hours, lang),
            format_scientific(peak_flops, lang),
            format_number(utilisation, lang),
            format_scientific(flop, lang)
        )
    };
    Ok(Estimate {
        flop,
        formula: Text::new(formula(Lang::Nl), formula(Lang::En)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> f64 {
        match parse_compute(s) {
            Ok(v) => v,
            Err(e) => panic!("{s:?} should parse, got {e:?}"),
        }
    }

    fn err(s: &str) -> ComputeError {
        match parse_compute(s) {
            Ok(v) => panic!("{s:?} should fail, got {v}"),
            Err(e) => e,
        }
    }

    #[test]
    fn accepts_all_documented_formats() {
        assert_eq!(ok("1e25"), 1e25);
        assert_eq!(ok("1E25"), 1e25);
        assert_eq!(ok("10^25"), 1e25);
        assert_eq!(ok("10**25"), 1e25);
        assert_eq!(ok("1,2 × 10^24"), 1.2e24);
        assert_eq!(ok("1.2 x 10^24"), 1.2e24);
        assert_eq!(ok("1,2·10^24"), 1.2e24);
        assert_eq!(ok("3.1E+24"), 3.1e24);
        assert_eq!(ok("3,1e24"), 3.1e24);
        assert_eq!(ok("  1e25  "), 1e25);
        assert_eq!(ok("\t10^25\n"), 1e25);
    }

    #[test]
    fn accepts_variants() {
        assert_eq!(ok("1.2X10^24"), 1.2e24);
        assert_eq!(ok("1.2*10^24"), 1.2e24);
        assert_eq!(ok("1.2 * 10 ** 24"), 1.2e24);
        assert_eq!(ok("1,2 ⋅ 10^24"), 1.2e24);
        assert_eq!(ok("10²⁵"), 1e25);
        assert_eq!(ok("1,2 × 10²⁴"), 1.2e24);
        assert_eq!(ok("10^(25)"), 1e25);
        assert_eq!(ok("10^ 25"), 1e25);
        assert_eq!(ok("+1e25"), 1e25);
        assert_eq!(ok("1e25 FLOP"), 1e25);
        assert_eq!(ok("3e25flops"), 3e25);
        assert_eq!(ok("5000000"), 5e6);
        assert_eq!(ok("0,4"), 0.4);
        assert_eq!(ok(".5"), 0.5);
        assert_eq!(ok("5."), 5.0);
        assert_eq!(ok("0"), 0.0);
        assert_eq!(ok("0.125"), 0.125);
        assert_eq!(ok("1.000 × 10^24"), 1e24);
        assert_eq!(ok("10^-3"), 1e-3);
        assert_eq!(ok("10^−3"), 1e-3);
        assert_eq!(ok("1.0000001e25"), 1.0000001e25);
        assert_eq!(ok("2 × 10"), 20.0);
        assert_eq!(ok("10"), 10.0);
        assert_eq!(ok("10 × 10^3"), 1e4);
        assert_eq!(ok("1e2 × 10^3"), 1e5);
        assert_eq!(ok("1e-400"), 0.0);
        assert_eq!(ok("\u{a0}1e25\u{202f}"), 1e25);
    }

    #[test]
    fn rejects_garbage_with_clear_errors() {
        assert_eq!(err(""), ComputeError::Empty);
        assert_eq!(err("   "), ComputeError::Empty);
        assert_eq!(err("FLOP"), ComputeError::Empty);
        assert_eq!(err("-1e25"), ComputeError::Negative);
        assert_eq!(err("−5"), ComputeError::Negative);
        assert_eq!(err("NaN"), ComputeError::NotFinite);
        assert_eq!(err("inf"), ComputeError::NotFinite);
        assert_eq!(err("-Infinity"), ComputeError::NotFinite);
        assert_eq!(err("1e400"), ComputeError::Overflow);
        assert_eq!(err("10^400"), ComputeError::Overflow);
        assert_eq!(
            err("abc"),
            ComputeError::UnexpectedCharacter {
                character: 'a',
                column: 1
            }
        );
        assert_eq!(
            err(" 12a"),
            ComputeError::UnexpectedCharacter {
                character: 'a',
                column: 4
            }
        );
        assert_eq!(err("1e"), ComputeError::MissingDigits { column: 3 });
        assert_eq!(err("10^"), ComputeError::MissingDigits { column: 4 });
        assert_eq!(err("1,2 ×"), ComputeError::MissingDigits { column: 6 });
        assert_eq!(err("2^80"), ComputeError::UnsupportedBase);
        assert_eq!(err("1,2 × 2^24"), ComputeError::UnsupportedBase);
        assert_eq!(err("1.5^3"), ComputeError::UnsupportedBase);
        assert_eq!(err("5 000 000"), ComputeError::ThousandsSeparator);
        assert_eq!(err("5.000.000"), ComputeError::ThousandsSeparator);
        assert_eq!(err("1,000,000"), ComputeError::ThousandsSeparator);
        assert_eq!(err("1,000"), ComputeError::AmbiguousSeparator);
        assert_eq!(err("1.000"), ComputeError::AmbiguousSeparator);
        assert_eq!(err("250,000"), ComputeError::AmbiguousSeparator);
        assert_eq!(err("1.234,5"), ComputeError::MixedSeparators);
        assert_eq!(err("1,234.5"), ComputeError::MixedSeparators);
        assert!(matches!(
            err("1e25e3"),
            ComputeError::UnexpectedCharacter { .. }
        ));
        assert!(matches!(
            err("--1"),
            ComputeError::UnexpectedCharacter { .. }
        ));
        assert!(matches!(
            err("e25"),
            ComputeError::UnexpectedCharacter { .. }
        ));
        assert_eq!(err("."), ComputeError::MissingDigits { column: 2 });
        assert!(matches!(
            err("1e25 FLOP FLOP"),
            ComputeError::UnexpectedCharacter { .. }
        ));
    }

    #[test]
    fn error_messages_in_both_languages() {
        let e = ComputeError::ThousandsSeparator;
        assert!(e.message(Lang::Nl).contains("duizendtallen"));
        assert!(e.message(Lang::En).contains("Thousands separators"));
        let e = ComputeError::NotPositive {
            quantity: Quantity::Tokens,
        };
        assert_eq!(
            e.message(Lang::Nl),
            "Het aantal trainingstokens moet groter zijn dan nul."
        );
        assert_eq!(
            e.message(Lang::En),
            "The number of training tokens must be greater than zero."
        );
        assert_eq!(
            ComputeError::UnexpectedCharacter {
                character: 'q',
                column: 2
            }
            .to_string(),
            "Unexpected character ‘q’ at position 2; use for example 1e25, 10^25 or 1.2 × 10^24."
        );
    }

    #[test]
    fn number_allows_sign() {
        assert_eq!(parse_number("-3,5"), Ok(-3.5));
        assert_eq!(parse_number("−1e3"), Ok(-1000.0));
    }

    #[test]
    fn formats_per_language() {
        assert_eq!(format_number(6.3e23, Lang::Nl), "6,3 × 10^23");
        assert_eq!(format_number(6.3e23, Lang::En), "6.3 × 10^23");
        assert_eq!(format_number(7e10, Lang::Nl), "7,0 × 10^10");
        assert_eq!(format_number(1e25, Lang::En), "1.0 × 10^25");
        assert_eq!(format_number(1.23456e24, Lang::En), "1.235 × 10^24");
        assert_eq!(format_number(3600.0, Lang::Nl), "3600");
        assert_eq!(format_number(0.4, Lang::Nl), "0,4");
        assert_eq!(format_number(0.004, Lang::En), "0.004");
        assert_eq!(format_number(2.5e-7, Lang::Nl), "2,5 × 10^-7");
        assert_eq!(format_number(123456.0, Lang::En), "123500");
        assert_eq!(format_number(0.0, Lang::En), "0");
        assert_eq!(format_number(-2.5e30, Lang::Nl), "-2,5 × 10^30");
        assert_eq!(format_number(f64::NAN, Lang::Nl), "NaN");
        assert_eq!(format_number(f64::INFINITY, Lang::Nl), "∞");
        assert_eq!(
            format_number_precise(1.0000001e25, Lang::Nl),
            "1,0000001 × 10^25"
        );
        assert_eq!(format_number_precise(1e25, Lang::Nl), "1,0 × 10^25");
        assert_eq!(format_scientific(7e10, Lang::Nl), "7,0 × 10^10");
        assert_eq!(format_scientific(9.96e14, Lang::En), "1.0 × 10^15");
        assert_eq!(format_scientific(0.4, Lang::En), "4.0 × 10^-1");
    }

    #[test]
    fn six_n_d() {
        let e = estimate_from_parameters(7e10, 1.5e12).unwrap();
        assert!((e.flop - 6.3e23).abs() < 1e9);
        assert_eq!(
            e.formula.nl,
            "6 × 7,0 × 10^10 × 1,5 × 10^12 = 6,3 × 10^23 FLOP"
        );
        assert_eq!(
            e.formula.en,
            "6 × 7.0 × 10^10 × 1.5 × 10^12 = 6.3 × 10^23 FLOP"
        );
        assert_eq!(
            estimate_from_parameters(0.0, 1e12),
            Err(ComputeError::NotPositive {
                quantity: Quantity::Parameters
            })
        );
        assert_eq!(
            estimate_from_parameters(1e9, -1.0),
            Err(ComputeError::NotPositive {
                quantity: Quantity::Tokens
            })
        );
        assert_eq!(
            estimate_from_parameters(f64::NAN, 1.0),
            Err(ComputeError::NotFinite)
        );
        assert_eq!(
            estimate_from_parameters(1e200, 1e200),
            Err(ComputeError::Overflow)
        );
    }

    #[test]
    fn accelerators() {
        let e = estimate_from_accelerators(1000.0, 2160.0, 9.89e14, 0.4).unwrap();
        let expected = 1000.0 * 2160.0 * 3600.0 * 9.89e14 * 0.4;
        assert_eq!(e.flop, expected);
        assert_eq!(
            e.formula.nl,
            "1000 × 2160 u × 3600 s/u × 9,9 × 10^14 FLOP/s × 0,4 = 3,1 × 10^24 FLOP"
        );
        assert_eq!(
            e.formula.en,
            "1000 × 2160 h × 3600 s/h × 9.9 × 10^14 FLOP/s × 0.4 = 3.1 × 10^24 FLOP"
        );
        assert!(estimate_from_accelerators(1.0, 1.0, 1.0, 1.0).is_ok());
        assert_eq!(
            estimate_from_accelerators(1.0, 1.0, 1.0, 0.0),
            Err(ComputeError::UtilisationOutOfRange)
        );
        assert_eq!(
            estimate_from_accelerators(1.0, 1.0, 1.0, 1.01),
            Err(ComputeError::UtilisationOutOfRange)
        );
        assert_eq!(
            estimate_from_accelerators(0.0, 1.0, 1.0, 0.5),
            Err(ComputeError::NotPositive {
                quantity: Quantity::Accelerators
            })
        );
        assert_eq!(
            estimate_from_accelerators(1.0, 0.0, 1.0, 0.5),
            Err(ComputeError::NotPositive {
                quantity: Quantity::Hours
            })
        );
        assert_eq!(
            estimate_from_accelerators(1.0, 1.0, -1.0, 0.5),
            Err(ComputeError::NotPositive {
                quantity: Quantity::PeakFlops
            })
        );
        assert_eq!(
            estimate_from_accelerators(1.0, 1.0, 1.0, f64::INFINITY),
            Err(ComputeError::NotFinite)
        );
    }

    proptest::proptest! {
        #[test]
        fn parser_never_panics(s in "\\PC{0,40}") {
            let _ = parse_compute(&s);
            let _ = parse_number(&s);
        }

        #[test]
        fn parser_never_panics_on_number_soup(parts in proptest::collection::vec(proptest::prop_oneof![
            proptest::strategy::Just("1"), proptest::strategy::Just("0"), proptest::strategy::Just("10"),
            proptest::strategy::Just(","), proptest::strategy::Just("."), proptest::strategy::Just("e"),
            proptest::strategy::Just("E"), proptest::strategy::Just("^"), proptest::strategy::Just("**"),
            proptest::strategy::Just("*"), proptest::strategy::Just("×"), proptest::strategy::Just("x"),
            proptest::strategy::Just(" "), proptest::strategy::Just("-"), proptest::strategy::Just("+"),
            proptest::strategy::Just("²"), proptest::strategy::Just("⁻"), proptest::strategy::Just("("),
            proptest::strategy::Just(")"), proptest::strategy::Just("FLOP"), proptest::strategy::Just("99999999999999999999"),
        ], 0..12)) {
            let s: String = parts.concat();
            if let Ok(v) = parse_compute(&s) {
                proptest::prop_assert!(v.is_finite() && v >= 0.0, "{:?} -> {}", s, v);
            }
        }

        #[test]
        fn scientific_format_round_trips(v in 1e6f64..1e30) {
            for lang in [Lang::Nl, Lang::En] {
                let text = format_number_precise(v, lang);
                proptest::prop_assert_eq!(parse_compute(&text), Ok(v), "{}", text);
            }
        }

        #[test]
        fn estimates_are_finite_and_positive(n in 1e6f64..1e13, d in 1e6f64..1e14) {
            let e = estimate_from_parameters(n, d).unwrap();
            proptest::prop_assert!(e.flop.is_finite() && e.flop > 0.0);
            proptest::prop_assert!(e.formula.nl.ends_with(" FLOP"));
        }
    }

    #[test]
    fn compute_input_enum() {
        let input = ComputeInput::Direct {
            value: "3,1e24".into(),
        };
        let e = input.evaluate().unwrap();
        assert_eq!(e.flop, 3.1e24);
        assert_eq!(e.formula.nl, "3,1 × 10^24 FLOP");
        let json = r#"{"method":"parameters","parameters":7e10,"tokens":1.5e12}"#;
        let parsed: ComputeInput = serde_json::from_str(json).unwrap();
        assert!(parsed.evaluate().unwrap().flop > 6e23);
        let json =
            r#"{"method":"accelerators","count":10,"hours":1,"peak_flops":1e15,"utilisation":0.5}"#;
        let parsed: ComputeInput = serde_json::from_str(json).unwrap();
        assert_eq!(parsed.evaluate().unwrap().flop, 1.8e19);
    }
}
