//! Deterministic natural logarithm.
//!
//! `f64::ln` is implemented by the platform's math library, which may differ
//! in the last bit between the native build and WebAssembly. Ranking must be
//! identical everywhere, so scores use this version built only from IEEE
//! basic operations (which are exactly specified).

const LN_2: f64 = std::f64::consts::LN_2;
const SQRT_2: f64 = std::f64::consts::SQRT_2;

/// Natural logarithm for positive normal numbers; returns 0 for anything
/// else (not reached by the ranking, whose arguments are ≥ 1).
pub(crate) fn ln(x: f64) -> f64 {
    if !(x.is_finite() && x >= f64::MIN_POSITIVE) {
        return 0.0;
    }
    let bits = x.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i64 - 1023;
    // mantissa in [1, 2)
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > SQRT_2 {
        m /= 2.0;
        exp += 1;
    }
    // ln(m) = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    for _ in 0..12 {
        sum += term / k;
        term *= s2;
        k += 2.0;
    }
    exp as f64 * LN_2 + 2.0 * sum
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_std_ln() {
        for &x in &[
            1.0,
            1.5,
            2.0,
            std::f64::consts::E,
            10.0,
            123.456,
            1e6,
            0.25,
            1e-3,
        ] {
            let d = (super::ln(x) - f64::ln(x)).abs();
            assert!(d < 1e-12, "{x}: {d}");
        }
        assert_eq!(super::ln(0.0), 0.0);
        assert_eq!(super::ln(f64::NAN), 0.0);
    }
}
