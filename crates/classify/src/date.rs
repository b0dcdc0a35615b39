//! Small proleptic-Gregorian civil-date arithmetic (no time zones, no system
//! clock), for the deadlines of art. 52(1) and art. 52(5).

use crate::text::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date between 0001-01-01 and 9999-12-31.
///
/// Serialized as an ISO 8601 string (`"2025-08-31"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Why a date is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD`.
    Format,
    /// Year outside 1..=9999.
    YearOutOfRange,
    /// Month outside 1..=12.
    MonthOutOfRange,
    /// Day does not exist in that month.
    DayOutOfRange,
}

impl DateError {
    /// The error message in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DateError::Format, Lang::Nl) => {
                "Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2025-08-31."
            }
            (DateError::Format, Lang::En) => "Enter a date as YYYY-MM-DD, for example 2025-08-31.",
            (DateError::YearOutOfRange, Lang::Nl) => "Het jaartal moet tussen 1 en 9999 liggen.",
            (DateError::YearOutOfRange, Lang::En) => "The year must be between 1 and 9999.",
            (DateError::MonthOutOfRange, Lang::Nl) => "De maand moet tussen 1 en 12 liggen.",
            (DateError::MonthOutOfRange, Lang::En) => "The month must be between 1 and 12.",
            (DateError::DayOutOfRange, Lang::Nl) => "Die dag bestaat niet in deze maand.",
            (DateError::DayOutOfRange, Lang::En) => "That day does not exist in this month.",
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message(Lang::En))
    }
}

impl std::error::Error for DateError {}

const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Whether `year` is a leap year in the Gregorian calendar.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1..=12) of `year`; 0 for an invalid month.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 0001-01-01 to January 1st of `year` (year ≥ 1).
fn days_before_year(year: i64) -> i64 {
    let y = year - 1;
    365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)
}

fn days_before_month(year: i32, month: u8) -> i64 {
    (1..month).map(|m| i64::from(days_in_month(year, m))).sum()
}

impl Date {
    /// Smallest supported year.
    pub const MIN_YEAR: i32 = 1;
    /// Largest supported year.
    pub const MAX_YEAR: i32 = 9999;

    /// Builds a date, checking that it exists.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date, DateError> {
        if !(Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year) {
            return Err(DateError::YearOutOfRange);
        }
        if !(1..=12).contains(&month) {
            return Err(DateError::MonthOutOfRange);
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateError::DayOutOfRange);
        }
        Ok(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (surrounding spaces allowed; month and day may
    /// have one digit).
    pub fn parse(input: &str) -> Result<Date, DateError> {
        let mut parts = input.trim().split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DateError::Format);
        };
        let digits = |s: &str, max: usize| {
            !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
        };
        if !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
            return Err(DateError::Format);
        }
        let year: i32 = y.parse().map_err(|_| DateError::Format)?;
        let month: u8 = m.parse().map_err(|_| DateError::Format)?;
        let day: u8 = d.parse().map_err(|_| DateError::Format)?;
        Date::new(year, month, day)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1..=12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1..=31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Number of days since 0001-01-01 (which is day 0).
    pub fn day_number(self) -> i64 {
        days_before_year(i64::from(self.year))
            + days_before_month(self.year, self.month)
            + i64::from(self.day)
            - 1
    }

    /// The date with the given [`day_number`](Date::day_number), or `None`
    /// outside the supported range.
    pub fn from_day_number(n: i64) -> Option<Date> {
        let max = Date {
            year: Self::MAX_YEAR,
            month: 12,
            day: 31,
        }
        .day_number();
        if !(0..=max).contains(&n) {
            return None;
        }
        // 146 097 days per 400 years; the estimate is off by at most one.
        let mut year = n * 400 / 146_097 + 1;
        while year > 1 && days_before_year(year) > n {
            year -= 1;
        }
        while days_before_year(year + 1) <= n {
            year += 1;
        }
        let year = i32::try_from(year).ok()?;
        let mut rest = n - days_before_year(i64::from(year));
        let mut month = 1u8;
        while month < 12 && rest >= i64::from(days_in_month(year, month)) {
            rest -= i64::from(days_in_month(year, month));
            month += 1;
        }
        let day = u8::try_from(rest + 1).ok()?;
        Date::new(year, month, day).ok()
    }

    /// The date `days` days later (earlier when negative), or `None` when
    /// that leaves the supported range.
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_day_number(self.day_number().checked_add(days)?)
    }

    /// The date `months` calendar months later (earlier when negative). When
    /// the target month is shorter the day is clamped to its last day:
    /// 2025-08-31 + 6 months = 2026-02-28. `None` outside the supported range.
    pub fn add_months(self, months: i32) -> Option<Date> {
        let total = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(months);
        let year = i32::try_from(total.div_euclid(12)).ok()?;
        let month = u8::try_from(total.rem_euclid(12) + 1).ok()?;
        if !(Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year) {
            return None;
        }
        let day = self.day.min(days_in_month(year, month));
        Date::new(year, month, day).ok()
    }

    /// Number of days from `self` to `other` (negative if `other` is earlier).
    pub fn days_until(self, other: Date) -> i64 {
        other.day_number() - self.day_number()
    }

    /// Long form for people: `31 augustus 2025` / `31 August 2025`.
    pub fn format(self, lang: Lang) -> String {
        let index = usize::from(self.month.saturating_sub(1)).min(11);
        let name = match lang {
            Lang::Nl => MONTHS_NL[index],
            Lang::En => MONTHS_EN[index],
        };
        format!("{} {} {}", self.day, name, self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Date, DateError> {
        Date::parse(s)
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;
    fn try_from(s: String) -> Result<Date, DateError> {
        Date::parse(&s)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn parse_and_display() {
        assert_eq!(d("2025-08-31").to_string(), "2025-08-31");
        assert_eq!(d(" 2025-8-1 ").to_string(), "2025-08-01");
        assert_eq!(Date::parse("2025-02-29"), Err(DateError::DayOutOfRange));
        assert_eq!(Date::parse("2024-02-29").map(|x| x.day()), Ok(29));
        assert_eq!(Date::parse("2025-13-01"), Err(DateError::MonthOutOfRange));
        assert_eq!(Date::parse("0000-01-01"), Err(DateError::YearOutOfRange));
        assert_eq!(Date::parse("2025/08/31"), Err(DateError::Format));
        assert_eq!(Date::parse("2025-08"), Err(DateError::Format));
        assert_eq!(Date::parse("2025-08-31-1"), Err(DateError::Format));
        assert_eq!(Date::parse("-2025-08-31"), Err(DateError::Format));
        assert_eq!(Date::parse("+202-08-31"), Err(DateError::Format));
        assert_eq!(Date::parse(""), Err(DateError::Format));
        assert_eq!(d("2025-08-31").format(Lang::Nl), "31 augustus 2025");
        assert_eq!(d("2025-08-31").format(Lang::En), "31 August 2025");
    }

    #[test]
    fn leap_years() {
        assert!(is_leap_year(2024));
        assert!(is_leap_year(2028));
        assert!(is_leap_year(2000));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2100));
        assert!(!is_leap_year(2025));
        assert_eq!(days_in_month(2028, 2), 29);
        assert_eq!(days_in_month(2027, 2), 28);
        assert_eq!(days_in_month(2027, 13), 0);
    }

    #[test]
    fn day_numbers() {
        assert_eq!(d("0001-01-01").day_number(), 0);
        assert_eq!(d("0001-12-31").day_number(), 364);
        assert_eq!(d("0002-01-01").day_number(), 365);
        // 1970-01-01 is 719 162 days after 0001-01-01.
        assert_eq!(d("1970-01-01").day_number(), 719_162);
        assert_eq!(Date::from_day_number(719_162), Some(d("1970-01-01")));
        assert_eq!(Date::from_day_number(-1), None);
        assert_eq!(d("9999-12-31").add_days(1), None);
        assert_eq!(d("0001-01-01").add_days(-1), None);
        assert_eq!(d("2025-01-01").add_days(i64::MAX), None);
    }

    #[test]
    fn add_days_across_boundaries() {
        assert_eq!(d("2025-08-25").add_days(14), Some(d("2025-09-08")));
        assert_eq!(d("2025-12-25").add_days(14), Some(d("2026-01-08")));
        assert_eq!(d("2028-02-20").add_days(14), Some(d("2028-03-05")));
        assert_eq!(d("2027-02-20").add_days(14), Some(d("2027-03-06")));
        assert_eq!(d("2028-02-28").add_days(1), Some(d("2028-02-29")));
        assert_eq!(d("2100-02-28").add_days(1), Some(d("2100-03-01")));
        assert_eq!(d("2026-01-08").add_days(-14), Some(d("2025-12-25")));
        assert_eq!(d("2025-01-01").days_until(d("2026-01-01")), 365);
        assert_eq!(d("2028-01-01").days_until(d("2029-01-01")), 366);
    }

    #[test]
    fn add_months_clamps() {
        assert_eq!(d("2025-08-31").add_months(6), Some(d("2026-02-28")));
        assert_eq!(d("2027-08-31").add_months(6), Some(d("2028-02-29")));
        assert_eq!(d("2025-07-31").add_months(6), Some(d("2026-01-31")));
        assert_eq!(d("2025-09-30").add_months(6), Some(d("2026-03-30")));
        assert_eq!(d("2025-03-31").add_months(6), Some(d("2025-09-30")));
        assert_eq!(d("2025-12-15").add_months(1), Some(d("2026-01-15")));
        assert_eq!(d("2026-01-15").add_months(-1), Some(d("2025-12-15")));
        assert_eq!(d("9999-07-01").add_months(6), None);
        assert_eq!(d("0001-03-01").add_months(-3), None);
        assert_eq!(d("2025-01-01").add_months(i32::MAX), None);
        assert_eq!(d("2025-01-01").add_months(i32::MIN), None);
    }

    #[test]
    fn serde_as_string() {
        let json = serde_json::to_string(&d("2025-08-31")).unwrap();
        assert_eq!(json, "\"2025-08-31\"");
        let back: Date = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d("2025-08-31"));
        assert!(serde_json::from_str::<Date>("\"2025-02-30\"").is_err());
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (1i32..=9999, 1u8..=12, 1u8..=31)
            .prop_map(|(y, m, day)| Date::new(y, m, day.min(days_in_month(y, m))).unwrap())
    }

    proptest! {
        #[test]
        fn day_number_round_trips(date in any_date()) {
            prop_assert_eq!(Date::from_day_number(date.day_number()), Some(date));
        }

        #[test]
        fn add_days_inverts(date in any_date(), n in -5000i64..5000) {
            if let Some(later) = date.add_days(n) {
                prop_assert_eq!(date.days_until(later), n);
                prop_assert_eq!(later.add_days(-n), Some(date));
                prop_assert_eq!(later > date, n > 0);
            }
        }

        #[test]
        fn next_day_is_consecutive(date in any_date()) {
            if let Some(next) = date.add_days(1) {
                let same_month = next.month() == date.month() && next.year() == date.year();
                if same_month {
                    prop_assert_eq!(next.day(), date.day() + 1);
                } else {
                    prop_assert_eq!(next.day(), 1);
                    prop_assert_eq!(date.day(), days_in_month(date.year(), date.month()));
                }
            }
        }

        #[test]
        fn six_months_later(date in any_date()) {
            if let Some(later) = date.add_months(6) {
                prop_assert!(later > date);
                let months = (later.year() - date.year()) * 12 + i32::from(later.month()) - i32::from(date.month());
                prop_assert_eq!(months, 6);
                prop_assert!(later.day() <= date.day());
                prop_assert!(later.day() == date.day() || later.day() == days_in_month(later.year(), later.month()));
                // Between 181 and 184 days.
                let days = date.days_until(later);
                prop_assert!((178..=184).contains(&days), "{} days", days);
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = Date::parse(&s);
        }

        #[test]
        fn display_parse_round_trip(date in any_date()) {
            prop_assert_eq!(Date::parse(&date.to_string()), Ok(date));
        }
    }
}
