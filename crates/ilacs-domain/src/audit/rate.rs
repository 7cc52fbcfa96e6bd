//! A share of a whole kept as a fraction, so a page can say "7 of 9" and a chart 78%.

use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;

/// `numerator` of `denominator`, with `numerator <= denominator`. A rate of nothing
/// (`0 of 0`) is allowed and has no fraction: it is not 0% and not 100%.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Rate {
    numerator: u32,
    denominator: u32,
}

impl Rate {
    /// `None` when the numerator exceeds the denominator.
    pub fn new(numerator: u32, denominator: u32) -> Option<Rate> {
        (numerator <= denominator).then_some(Rate {
            numerator,
            denominator,
        })
    }

    pub fn numerator(self) -> u32 {
        self.numerator
    }

    pub fn denominator(self) -> u32 {
        self.denominator
    }

    /// Counts one more case, a hit or not.
    pub(crate) fn count(&mut self, hit: bool) {
        self.denominator += 1;
        if hit {
            self.numerator += 1;
        }
    }

    /// Between 0 and 1, or `None` when there is nothing to divide.
    pub fn fraction(self) -> Option<f64> {
        (self.denominator > 0).then(|| f64::from(self.numerator) / f64::from(self.denominator))
    }

    /// The whole percentage, rounded half up, or `None` when there is nothing to divide.
    pub fn percent(self) -> Option<u32> {
        (self.denominator > 0).then(|| {
            let (n, d) = (u64::from(self.numerator), u64::from(self.denominator));
            ((200 * n + d) / (2 * d)) as u32
        })
    }

    /// Compares the shares exactly (no floating point), or `None` if either is empty.
    pub fn compare_share(self, other: Rate) -> Option<Ordering> {
        if self.denominator == 0 || other.denominator == 0 {
            return None;
        }
        let left = u64::from(self.numerator) * u64::from(other.denominator);
        let right = u64::from(other.numerator) * u64::from(self.denominator);
        Some(left.cmp(&right))
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {}", self.numerator, self.denominator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_keeps_its_counts() {
        let r = Rate::new(7, 9).unwrap();
        assert_eq!(r.to_string(), "7 of 9");
        assert_eq!(r.percent(), Some(78));
        assert!((r.fraction().unwrap() - 7.0 / 9.0).abs() < 1e-12);
        assert_eq!(
            Rate::new(1, 8).unwrap().percent(),
            Some(13),
            "12.5 rounds up"
        );
        assert_eq!(Rate::new(10, 9), None);
    }

    #[test]
    fn an_empty_rate_has_no_fraction() {
        let r = Rate::default();
        assert_eq!(r.to_string(), "0 of 0");
        assert_eq!(r.fraction(), None);
        assert_eq!(r.percent(), None);
        assert_eq!(r.compare_share(Rate::new(1, 2).unwrap()), None);
    }

    #[test]
    fn shares_compare_exactly() {
        let two_thirds = Rate::new(2, 3).unwrap();
        let four_sixths = Rate::new(4, 6).unwrap();
        let half = Rate::new(1, 2).unwrap();
        assert_eq!(two_thirds.compare_share(four_sixths), Some(Ordering::Equal));
        assert_eq!(half.compare_share(two_thirds), Some(Ordering::Less));
        let mut r = Rate::default();
        r.count(true);
        r.count(false);
        assert_eq!(r, half);
    }
}
